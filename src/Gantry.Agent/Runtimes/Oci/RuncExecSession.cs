using System.Text.Json;

namespace Gantry.Agent.Runtimes.Oci;

/// <summary>
/// A command run in a container by `runc exec`, handed to its caller only once it runs. runc exits 255 both when it
/// cannot start the command and when the command exits 255, and prints its own error on the command's stderr; so the
/// session waits for runc's pid file, and when runc exits without one it fails the start with runc's logged error in
/// containerd's words (<see cref="ExecStartFailure"/>).
/// </summary>
internal sealed class RuncExecSession : IExecSession
{
    /// <summary>runc exec takes tens of milliseconds to start a command; a person at a terminal does not see 2 ms.</summary>
    private static readonly TimeSpan StartPoll = TimeSpan.FromMilliseconds(2);

    private readonly ProcessExecSession _session;
    private readonly ExecFiles _files;

    private RuncExecSession(ProcessExecSession session, ExecFiles files)
    {
        _session = session;
        _files = files;
    }

    public Stream Stdin => _session.Stdin;

    public Stream Stdout => _session.Stdout;

    public Stream Stderr => _session.Stderr;

    /// <param name="bundle">The container's bundle: its config.json, and where the exec's files live while it runs.</param>
    /// <exception cref="IOException">runc could not start the command; the message says why, as containerd would.</exception>
    public static async Task<IExecSession> StartAsync(
        RuncClient runc, string containerId, string bundle, ExecRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runc);
        ArgumentNullException.ThrowIfNull(request);
        var files = new ExecFiles(bundle);
        ProcessExecSession session;
        try
        {
            var config = await File.ReadAllTextAsync(Path.Combine(bundle, "config.json"), cancellationToken);
            await File.WriteAllTextAsync(files.ProcessFile, ExecProcessSpec.Build(config, request), cancellationToken);
            session = ProcessExecSession.Start(runc.ExecCommand(containerId, files.ProcessFile, files.PidFile, files.LogFile), request);
        }
        catch
        {
            files.Delete();
            throw;
        }

        try
        {
            while (!File.Exists(files.PidFile))
            {
                if (session.HasExited && !File.Exists(files.PidFile))
                {
                    throw ExecStartFailure.Of(files.ExecId, files.ReadError());
                }

                await Task.Delay(StartPoll, cancellationToken);
            }

            return new RuncExecSession(session, files);
        }
        catch
        {
            await session.DisposeAsync();
            files.Delete();
            throw;
        }
    }

    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => _session.WaitForExitAsync(cancellationToken);

    public void Resize(ushort columns, ushort rows) => _session.Resize(columns, rows);

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        _files.Delete();
    }

    /// <summary>The process, pid and log files of one exec, named by an exec ID as containerd's CRI plugin makes them.</summary>
    private sealed class ExecFiles
    {
        public ExecFiles(string directory)
        {
            ExecId = ExecStartFailure.NewExecId();
            ProcessFile = Path.Combine(directory, $"exec-{ExecId}.json");
            PidFile = Path.Combine(directory, $"exec-{ExecId}.pid");
            LogFile = Path.Combine(directory, $"exec-{ExecId}.log");
        }

        public string ExecId { get; }

        public string ProcessFile { get; }

        public string PidFile { get; }

        public string LogFile { get; }

        /// <summary>The message of runc's last error record, or what is known without one.</summary>
        public string ReadError()
        {
            string? error = null;
            try
            {
                foreach (var line in File.ReadLines(LogFile))
                {
                    using var record = JsonDocument.Parse(line);
                    if (record.RootElement.TryGetProperty("level", out var level) && level.ValueEquals("error")
                        && record.RootElement.TryGetProperty("msg", out var message))
                    {
                        error = message.GetString();
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or JsonException)
            {
                // No log, or a torn record: runc died before saying why.
            }

            return error ?? "runc exited before starting the command";
        }

        public void Delete()
        {
            File.Delete(ProcessFile);
            File.Delete(PidFile);
            File.Delete(LogFile);
        }
    }
}
