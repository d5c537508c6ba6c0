using System.Text;
using Gantry.Agent.Serving;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class ContainerLogReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"gantry-log-{Guid.NewGuid():N}.log");

    public ContainerLogReaderTests() => File.WriteAllText(_path, "one\ntwo\nthree\n");

    public void Dispose() => File.Delete(_path);

    private async Task<string> ReadAsync(int? tail = null, long? limit = null)
    {
        using var output = new MemoryStream();
        await ContainerLogReader.CopyAsync(_path, output, tail, limit, follow: false, () => Task.FromResult(false), CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task Without_options_the_whole_log_is_read() => Assert.Equal("one\ntwo\nthree\n", await ReadAsync());

    [Fact]
    public async Task Tail_lines_reads_the_last_lines() => Assert.Equal("two\nthree\n", await ReadAsync(tail: 2));

    [Fact]
    public async Task Tail_of_more_lines_than_the_log_has_reads_it_all() => Assert.Equal("one\ntwo\nthree\n", await ReadAsync(tail: 10));

    [Fact]
    public async Task Tail_of_zero_lines_reads_nothing() => Assert.Equal("", await ReadAsync(tail: 0));

    [Fact]
    public async Task Limit_bytes_cuts_the_output() => Assert.Equal("one\ntw", await ReadAsync(limit: 6));

    [Fact]
    public async Task Follow_returns_what_is_appended_while_the_container_runs()
    {
        using var output = new MemoryStream();
        var running = true;
        var copy = ContainerLogReader.CopyAsync(_path, output, null, null, follow: true, () => Task.FromResult(running), CancellationToken.None);
        await File.AppendAllTextAsync(_path, "four\n");
        running = false;
        await copy.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.EndsWith("four\n", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }
}
