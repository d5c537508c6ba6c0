using System.Globalization;
using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// <c>kubectl logs</c> with the options that choose what it shows: <c>--timestamps</c>, <c>--since-time</c>,
/// <c>--since</c>, <c>--tail</c> and <c>--previous</c>, read from the CRI records the shim writes.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)]
public sealed partial class LogsTests(GantryFixture fixture, ITestOutputHelper output) : PodTest(fixture, output)
{
    [Theory]
    [InlineData(null)]
    [InlineData("process")]
    public async Task Timestamps_start_each_line_with_the_time_it_was_written(string? runtimeClass)
    {
        var ns = await CreateNamespaceAsync("logs-ts-" + (runtimeClass ?? "oci"));
        await RunPodAsync(ns, "talker", runtimeClass, "echo one; echo two >&2; sleep 3600");
        await WaitForLogAsync(ns, "talker", "two");

        var lines = Lines((await Ok("logs", "talker", "-n", ns, "--timestamps")).Stdout);

        Assert.Equal(["one", "two"], lines.Select(l => l.Split(' ', 2)[1]).Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.Matches(Timestamped(), l));
    }

    [Fact]
    public async Task Since_time_and_tail_choose_the_later_lines()
    {
        var ns = await CreateNamespaceAsync("logs-since");
        await RunPodAsync(ns, "talker", null, "echo early; sleep 2; echo late; sleep 3600");
        await WaitForLogAsync(ns, "talker", "late");
        var lateTime = Lines((await Ok("logs", "talker", "-n", ns, "--timestamps")).Stdout)
            .Single(l => l.EndsWith(" late", StringComparison.Ordinal)).Split(' ')[0];
        // kubectl sends --since-time in whole seconds: the second "late" was written in, after "early".
        var since = DateTimeOffset.Parse(lateTime[..19] + "Z", CultureInfo.InvariantCulture);

        Assert.Equal("late\n", (await Ok("logs", "talker", "-n", ns, "--since-time=" + since.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))).Stdout);
        Assert.Equal("late\n", (await Ok("logs", "talker", "-n", ns, "--tail=1")).Stdout);
        Assert.Equal("early\nlate\n", (await Ok("logs", "talker", "-n", ns, "--since=1h")).Stdout);
    }

    [Fact]
    public async Task Previous_shows_what_the_container_wrote_before_it_was_restarted()
    {
        var ns = await CreateNamespaceAsync("logs-previous");
        await CreatePodAsync(ns, "crasher", "process", "echo run at $(date +%s%N); exit 1");

        await Eventually.Until(() => Run("get", "pod/crasher", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].restartCount}"),
            r => int.TryParse(r.Stdout, out var restarts) && restarts >= 1, TimeSpan.FromSeconds(40), "a restart of the crashing container");

        Assert.StartsWith("run at ", (await Ok("logs", "crasher", "-n", ns, "--previous")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_tail_is_refused_as_kube_apiserver_refuses_it()
    {
        var ns = await CreateNamespaceAsync("logs-invalid");
        await RunPodAsync(ns, "talker", "process", "echo one; sleep 3600");

        var refused = await Fails("get", "--raw", $"/api/v1/namespaces/{ns}/pods/talker/log?tailLines=-1");

        Check.StderrContains(refused, "tailLines: Invalid value: -1: must be greater than or equal to 0");
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S")]
    private static partial Regex Timestamped();
}
