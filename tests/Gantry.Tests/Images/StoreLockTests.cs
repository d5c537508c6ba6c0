using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Images;

public sealed class StoreLockTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-lock-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_store_locked_through_another_open_of_its_lock_file_waits_until_released()
    {
        // Two StoreLocks on one file behave as two processes do: each holds its own open file.
        var path = Path.Combine(_directory, "lock");
        using var agent = new StoreLock(path);
        using var command = new StoreLock(path);

        var held = await agent.AcquireAsync(CancellationToken.None);
        Assert.Null(command.TryAcquire());

        held.Dispose();
        using var taken = command.TryAcquire();
        Assert.NotNull(taken);
        Assert.Null(agent.TryAcquire());
    }

    [Fact]
    public async Task Waiting_for_the_lock_can_be_cancelled()
    {
        var path = Path.Combine(_directory, "lock");
        using var holder = new StoreLock(path);
        using var waiter = new StoreLock(path);
        using var held = await holder.AcquireAsync(CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.AcquireAsync(new CancellationToken(canceled: true)));
        Assert.Null(waiter.TryAcquire());
    }
}
