using System.Text;
using Gantry.Agent.Serving;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class LogFollowStreamTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"gantry-follow-{Guid.NewGuid():N}.log");

    public LogFollowStreamTests() => File.WriteAllText(_path, Record("before the attach"));

    public void Dispose() => File.Delete(_path);

    private static string Record(string line) => $"2026-11-27T10:00:01.000000000Z stdout F {line}\n";

    [Fact]
    public async Task It_delivers_what_is_written_after_it_opened_and_ends_once_the_container_has_exited()
    {
        var running = true;
        await using var stream = new LogFollowStream(_path, _ => Task.FromResult(running), TimeProvider.System, CancellationToken.None);
        await File.AppendAllTextAsync(_path, Record("after the attach"));
        running = false;
        await File.AppendAllTextAsync(_path, Record("last words"));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal("after the attach\nlast words\n", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task It_ends_at_once_when_the_attach_detaches()
    {
        using var detach = new CancellationTokenSource();
        await detach.CancelAsync();
        await using var stream = new LogFollowStream(_path, _ => Task.FromResult(true), TimeProvider.System, detach.Token);
        await File.AppendAllTextAsync(_path, Record("not for a detached client"));

        Assert.Equal(0, await stream.ReadAsync(new byte[64]));
    }
}
