using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Bench.Measurement;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// The physical limits pod startup is compared with, measured on the same machine in the same run,
/// each timed from the moment the bench starts the command (a fork/exec from a .NET process, as the
/// agent's own) until it returns:
/// <list type="bullet">
/// <item><c>runc run -d</c> of <c>sleep 3600</c> in the busybox rootfs the agent unpacked (its
/// image layer, mounted read-only), with <c>runc spec</c>'s default config: new PID, mount, IPC,
/// UTS and network namespaces (the network one empty: no veth, no address), a cgroup in every
/// hierarchy, the default mounts, masked paths and capabilities. runc returns once the container's
/// process was started. Each container is deleted before the next, untimed.</item>
/// <item><c>unshare --pid --fork --mount-proc --net --ipc --uts true</c>: the same namespaces as a
/// process pod, /proc mounted, no cgroup, no network setup; until <c>true</c> has exited and been reaped.</item>
/// </list>
/// </summary>
internal static class BareRuntimes
{
    public static async Task<LatencyStats> RuncAsync(string rootfs, string workDirectory, int runs)
    {
        var bundle = Path.Combine(workDirectory, "runc-bundle");
        var state = Path.Combine(workDirectory, "runc-root");
        Directory.CreateDirectory(bundle);
        Directory.CreateDirectory(state);
        await RunCheckedAsync("runc", ["spec", "--bundle", bundle]).ConfigureAwait(false);
        var configPath = Path.Combine(bundle, "config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath).ConfigureAwait(false))!;
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray("sleep", "3600");
        config["root"] = new JsonObject { ["path"] = rootfs, ["readonly"] = true };
        await File.WriteAllTextAsync(configPath, config.ToJsonString()).ConfigureAwait(false);

        var samples = new List<long>(runs);
        for (var i = 0; i < runs; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"gantry-bench-{Environment.ProcessId}-{i}");
            var started = Stopwatch.GetTimestamp();
            await RunCheckedAsync("runc", ["--root", state, "run", "--detach", "--bundle", bundle, id]).ConfigureAwait(false);
            samples.Add(Stopwatch.GetTimestamp() - started);
            await RunCheckedAsync("runc", ["--root", state, "delete", "--force", id]).ConfigureAwait(false);
        }

        return LatencyStats.FromTicks(samples);
    }

    public static async Task<LatencyStats> UnshareAsync(int runs)
    {
        var samples = new List<long>(runs);
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await RunCheckedAsync("unshare", ["--pid", "--fork", "--mount-proc", "--net", "--ipc", "--uts", "true"]).ConfigureAwait(false);
            samples.Add(Stopwatch.GetTimestamp() - started);
        }

        return LatencyStats.FromTicks(samples);
    }

    /// <summary>
    /// Runs a command with its output discarded by the kernel's side of a pipe nobody reads: a
    /// detached container keeps runc's stdout, and waiting for that to close would wait for the container.
    /// </summary>
    private static async Task RunCheckedAsync(string program, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new IOException($"could not start {program}");
        process.StandardInput.Close();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new IOException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync().ConfigureAwait(false)}");
        }
    }
}
