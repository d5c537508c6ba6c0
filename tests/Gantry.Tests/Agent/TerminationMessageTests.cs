using System.Text;
using Gantry.Agent.Pods;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class TerminationMessageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-termination-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Lines(int from, int to) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(from, to - from + 1).Select(i => $"line {i}\n")));

    private static string Of(string written, bool fallbackToLogs, string log) =>
        TerminationMessage.Of(Encoding.UTF8.GetBytes(written), fallbackToLogs, () => Encoding.UTF8.GetBytes(log));

    [Fact]
    public void What_the_container_wrote_is_the_message_even_when_logs_are_the_fallback() =>
        Assert.Equal("disk full", Of("disk full", fallbackToLogs: true, "a log line\n"));

    [Fact]
    public void Only_the_last_4096_bytes_written_are_kept()
    {
        var written = new string('a', 100) + new string('b', TerminationMessage.MaxLength);

        Assert.Equal(new string('b', TerminationMessage.MaxLength), Of(written, fallbackToLogs: false, ""));
    }

    [Fact]
    public void An_empty_file_falls_back_to_the_logs_end_when_asked_to() =>
        Assert.Equal("panic: boom\n", Of("", fallbackToLogs: true, "panic: boom\n"));

    [Fact]
    public void An_empty_file_without_the_fallback_is_no_message() =>
        Assert.Equal("", Of("", fallbackToLogs: false, "panic: boom\n"));

    [Fact]
    public void The_logs_fallback_keeps_the_last_80_lines() =>
        Assert.Equal(Lines(21, 100), TerminationMessage.LogTail(Lines(1, 100)).ToArray());

    [Fact]
    public void The_logs_fallback_keeps_at_most_2048_bytes()
    {
        var log = Encoding.UTF8.GetBytes(new string('x', 5000) + "\n");

        var tail = TerminationMessage.LogTail(log).ToArray();

        Assert.Equal(TerminationMessage.MaxLogLength, tail.Length);
        Assert.Equal(log[^TerminationMessage.MaxLogLength..], tail);
    }

    [Fact]
    public void The_logs_are_read_only_for_FallbackToLogsOnError_and_a_non_zero_exit()
    {
        var file = Path.Combine(_dir, "message");
        var log = Path.Combine(_dir, "log");
        File.WriteAllText(file, "");
        File.WriteAllText(log, "2026-11-27T10:00:01.000000000Z stderr F fatal: config missing\n");

        Assert.Equal("fatal: config missing\n", TerminationMessage.Read(file, "FallbackToLogsOnError", 1, log));
        Assert.Equal("", TerminationMessage.Read(file, "FallbackToLogsOnError", 0, log));
        Assert.Equal("", TerminationMessage.Read(file, "File", 1, log));
    }

    [Fact]
    public void An_instance_without_a_file_falls_back_to_its_logs()
    {
        var log = Path.Combine(_dir, "log");
        File.WriteAllText(log, "2026-11-27T10:00:01.000000000Z stdout F exited early\n");

        Assert.Equal("exited early\n", TerminationMessage.Read(Path.Combine(_dir, "none"), "FallbackToLogsOnError", 1, log));
    }

    [Fact]
    public void The_file_is_read_from_disk()
    {
        var file = Path.Combine(_dir, "message");
        File.WriteAllText(file, "bye");

        Assert.Equal("bye", TerminationMessage.Read(file, null, 0, Path.Combine(_dir, "log")));
    }
}
