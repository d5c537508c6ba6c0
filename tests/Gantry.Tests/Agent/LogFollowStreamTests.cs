using System.Text;
using Gantry.Agent.Serving;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class LogFollowStreamTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"gantry-follow-{Guid.NewGuid():N}.log");

    public LogFollowStreamTests() => File.WriteAllText(_path, "before the attach\n");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task It_delivers_what_is_written_after_it_opened_and_ends_once_the_container_has_exited()
    {
        var running = true;
        await using var stream = new LogFollowStream(_path, _ => Task.FromResult(running), TimeProvider.System, CancellationToken.None);
        await File.AppendAllTextAsync(_path, "after the attach\n");
        running = false;
        await File.AppendAllTextAsync(_path, "last words\n");

        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal("after the attach\nlast words\n", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task It_ends_at_once_when_the_attach_detaches()
    {
        using var detach = new CancellationTokenSource();
        await detach.CancelAsync();
        await using var stream = new LogFollowStream(_path, _ => Task.FromResult(true), TimeProvider.System, detach.Token);
        await File.AppendAllTextAsync(_path, "not for a detached client\n");

        Assert.Equal(0, await stream.ReadAsync(new byte[64]));
    }
}
