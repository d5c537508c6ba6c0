using System.Text;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Serving;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class ContainerLogReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"gantry-log-{Guid.NewGuid():N}.log");

    public ContainerLogReaderTests() => File.WriteAllText(_path,
        "2026-11-27T10:00:01.000000000Z stdout F one\n" +
        "2026-11-27T10:00:02.000000000Z stderr F two\n" +
        "2026-11-27T10:00:03.000000000Z stdout F three\n");

    public void Dispose() => File.Delete(_path);

    private async Task<string> ReadAsync(int? tail = null, ContainerLogView? view = null)
    {
        using var output = new MemoryStream();
        await ContainerLogReader.CopyAsync(_path, output, tail, view ?? new ContainerLogView(), follow: false, () => Task.FromResult(false), CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task Without_options_the_whole_log_is_read_without_the_record_headers() => Assert.Equal("one\ntwo\nthree\n", await ReadAsync());

    [Fact]
    public async Task Tail_lines_reads_the_last_lines() => Assert.Equal("two\nthree\n", await ReadAsync(tail: 2));

    [Fact]
    public async Task Tail_of_more_lines_than_the_log_has_reads_it_all() => Assert.Equal("one\ntwo\nthree\n", await ReadAsync(tail: 10));

    [Fact]
    public async Task Tail_of_zero_lines_reads_nothing() => Assert.Equal("", await ReadAsync(tail: 0));

    [Fact]
    public async Task Limit_bytes_cuts_the_output() => Assert.Equal("one\ntw", await ReadAsync(view: new ContainerLogView(LimitBytes: 6)));

    [Fact]
    public async Task Timestamps_start_each_line_with_the_time_it_was_written() =>
        Assert.Equal("2026-11-27T10:00:02.000000000Z two\n2026-11-27T10:00:03.000000000Z three\n",
            await ReadAsync(tail: 2, view: new ContainerLogView(Timestamps: true)));

    [Fact]
    public async Task Since_leaves_out_what_was_written_before_it() =>
        Assert.Equal("two\nthree\n", await ReadAsync(view: new ContainerLogView(Since: new DateTimeOffset(2026, 11, 27, 10, 0, 2, TimeSpan.Zero))));

    [Fact]
    public async Task Since_in_another_offset_means_the_same_instant() =>
        Assert.Equal("three\n", await ReadAsync(view: new ContainerLogView(Since: new DateTimeOffset(2026, 11, 27, 11, 0, 2, 500, TimeSpan.FromHours(1)))));

    [Fact]
    public async Task Follow_returns_what_is_appended_while_the_container_runs()
    {
        using var output = new MemoryStream();
        var running = true;
        var copy = ContainerLogReader.CopyAsync(_path, output, null, new ContainerLogView(), follow: true, () => Task.FromResult(running), CancellationToken.None);
        await File.AppendAllTextAsync(_path, "2026-11-27T10:00:04.000000000Z stdout F four\n");
        running = false;
        await copy.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.EndsWith("three\nfour\n", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }
}
