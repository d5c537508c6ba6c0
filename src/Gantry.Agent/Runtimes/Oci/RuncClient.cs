using System.Text.Json;
using Gantry.Agent.Images;

namespace Gantry.Agent.Runtimes.Oci;

/// <summary>The runc command line, for one state root.</summary>
internal sealed class RuncClient(string runc, string root)
{
    /// <summary>
    /// `runc run` in the foreground, for the shim to wait on: runc stays the container's parent,
    /// forwards signals to it and exits with its status. --keep leaves the stopped container (and
    /// its cgroup, with the OOM counters) until <see cref="DeleteAsync"/>.
    /// </summary>
    public IReadOnlyList<string> RunCommand(string id, string bundle, string pidFile) =>
        [runc, "--root", root, "run", "--keep", "--bundle", bundle, "--pid-file", pidFile, id];

    /// <summary>
    /// `runc run -d` for a container with a terminal: runc sends the terminal's master to <paramref name="consoleSocket"/>,
    /// which it does only when detached, and exits once the container runs; the container stays until
    /// <see cref="DeleteAsync"/>, as with --keep.
    /// </summary>
    public IReadOnlyList<string> RunDetachedCommand(string id, string bundle, string pidFile, string consoleSocket) =>
        [runc, "--root", root, "run", "--detach", "--console-socket", consoleSocket, "--bundle", bundle, "--pid-file", pidFile, id];

    /// <summary>
    /// `runc exec` of the process <paramref name="processFile"/> describes, which writes <paramref name="pidFile"/> once
    /// the command runs and, when it cannot start it, says why in <paramref name="logFile"/> as a JSON record: its exit
    /// status alone cannot tell its failure from the command's.
    /// </summary>
    public IReadOnlyList<string> ExecCommand(string id, string processFile, string pidFile, string logFile) =>
        [runc, "--root", root, "--log", logFile, "--log-format", "json", "exec", "--process", processFile, "--pid-file", pidFile, id];

    /// <summary>The container's state, or null when runc does not know it.</summary>
    public async Task<RuncState?> StateAsync(string id, CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync(runc, ["--root", root, "state", id], cancellationToken);
        if (result.ExitCode != 0)
        {
            return null;
        }

        using var document = JsonDocument.Parse(result.Stdout);
        return new RuncState(document.RootElement.GetProperty("status").GetString() ?? "unknown", document.RootElement.GetProperty("pid").GetInt32());
    }

    /// <summary>Signals the init (or, with <paramref name="all"/>, every process); false when not running.</summary>
    public async Task<bool> KillAsync(string id, string signal, bool all, CancellationToken cancellationToken) =>
        (await ExternalCommand.RunAsync(runc, ["--root", root, "kill", .. (all ? (string[])["--all"] : []), id, signal], cancellationToken)).ExitCode == 0;

    /// <summary>Deletes the container (killing it if needed) and its cgroup; a no-op for unknown IDs.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync(runc, ["--root", root, "delete", "--force", id], cancellationToken);
        if (result.ExitCode != 0 && !result.Stderr.Contains("does not exist", StringComparison.Ordinal))
        {
            throw new IOException($"runc delete {id} failed: {result.Stderr.Trim()}");
        }
    }
}
