using Gantry.Server.Kernel;
using Xunit;

namespace Gantry.Tests.Kernel;

public sealed class ResourceLedgerTests
{
    [Fact]
    public void A_commit_that_fits_is_recorded_against_the_node()
    {
        var ledger = new ResourceLedger();
        ledger.SetNode("n1", Resources.Of(4, 4096));

        var commit = ledger.TryCommit([new Allocation("p1", "n1", "f", Resources.Pod(1, 1024))]);

        Assert.True(commit.Succeeded);
        Assert.Equal(3000, ledger.Snapshot().Nodes["n1"].Free.CpuMillis);
    }

    [Fact]
    public void A_commit_that_does_not_fit_is_refused_naming_the_resource()
    {
        var ledger = new ResourceLedger();
        ledger.SetNode("n1", Resources.Of(1, 4096));

        var commit = ledger.TryCommit([new Allocation("p1", "n1", "f", Resources.Pod(2, 10))]);

        Assert.False(commit.Succeeded);
        Assert.Contains("cpu", commit.Reason, StringComparison.Ordinal);
        Assert.Null(ledger.Find("p1"));
    }

    [Fact]
    public void Allocations_of_one_commit_are_all_or_nothing()
    {
        var ledger = new ResourceLedger();
        ledger.SetNode("n1", Resources.Of(2, 4096));
        ledger.SetNode("n2", Resources.Of(1, 4096));

        var commit = ledger.TryCommit([
            new Allocation("a", "n1", "f", Resources.Pod(1, 10)),
            new Allocation("b", "n2", "f", Resources.Pod(1, 10)),
            new Allocation("c", "n2", "f", Resources.Pod(1, 10)),
        ]);

        Assert.False(commit.Succeeded);
        Assert.Null(ledger.Find("a"));
        Assert.Equal(2000, ledger.Snapshot().Nodes["n1"].Free.CpuMillis);
    }

    [Fact]
    public void Committing_the_same_allocation_twice_counts_it_once()
    {
        var ledger = new ResourceLedger();
        ledger.SetNode("n1", Resources.Of(2, 4096));
        var allocation = new Allocation("p1", "n1", "f", Resources.Pod(1, 10));

        Assert.True(ledger.TryCommit([allocation]).Succeeded);
        Assert.True(ledger.TryCommit([allocation]).Succeeded);

        Assert.Equal(1000, ledger.Snapshot().Nodes["n1"].Free.CpuMillis);
    }

    [Fact]
    public void Releasing_returns_the_resources_to_the_node()
    {
        var ledger = new ResourceLedger();
        ledger.SetNode("n1", Resources.Of(2, 4096));
        ledger.TryCommit([new Allocation("p1", "n1", "f", Resources.Pod(2, 10))]);

        ledger.Release("p1");

        Assert.Equal(2000, ledger.Snapshot().Nodes["n1"].Free.CpuMillis);
    }

    [Fact]
    public void Concurrent_commits_never_over_commit_a_node()
    {
        var ledger = new ResourceLedger();
        for (var n = 0; n < 4; n++)
        {
            ledger.SetNode($"n{n}", Resources.Of(10, 10_240, 1000));
        }

        var committed = new int[8];
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var allocation = new Allocation($"w{worker}-{i}", $"n{i % 4}", $"f{worker}", Resources.Pod(0.1 + (0.05 * (i % 3)), 64));
                if (ledger.TryCommit([allocation]).Succeeded)
                {
                    committed[worker]++;
                }

                if (i % 7 == 0)
                {
                    ledger.Release($"w{(worker + 1) % 8}-{i - 1}");
                }
            }
        });

        foreach (var account in ledger.Snapshot().Nodes.Values)
        {
            Assert.True(account.Allocated.FitsIn(account.Allocatable), $"{account.Node} is over-committed: {account.Allocated} of {account.Allocatable}");
        }

        Assert.True(committed.Sum() > 0);
    }
}
