using System.Globalization;
using System.Text;
using Gantry.Bench.Measurement;
using Gantry.Bench.Reporting;

namespace Gantry.Bench.PodStartup;

/// <summary>The markdown the pod-startup bench prints: machine, startup table, breakdown, baselines, verdicts.</summary>
internal static class PodStartupSummary
{
    private const double TargetRatio = 5;

    public static string Render(MachineInfo machine, string command, PodStartupOptions options, IReadOnlyList<StartupResult> results, Baselines? baselines, IReadOnlyList<string> findings, TimeSpan total)
    {
        var text = new StringBuilder();
        Line(text, "## Gantry pod startup benchmark");
        Line(text, "");
        Line(text, $"Command: `{command}` (total {total.TotalSeconds:0} s)");
        Line(text, "");
        foreach (var line in machine.Lines())
        {
            Line(text, line);
        }

        Line(text, "");
        Line(text, $"Pod startup: create request sent → phase Running seen on a watch; {options.Pods} pods per row, each `sleep 3600`, bound by spec.nodeName; a load of N is a closed loop of N workers, each creating its next pod once its last one runs; a load of R/s creates a pod every 1/R s whatever the others do (an open loop, as Kubernetes' node-throughput test); all of a row's pods run until the row ends. CPU: gantry's own threads; the commands it ran and reaped (ip, CNI plugins, iptables, gantry-shim); the bench; everything else, which includes the detached shims, runc and the containers as well as outside load.");
        Line(text, "");
        Line(text, "| Runtime | Load | Running | Errors | pods/s | p50 ms | p90 ms | p99 ms | max ms | CPU cores: gantry / its commands / bench / other | load before | teardown s |");
        Line(text, "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|");
        foreach (var r in results)
        {
            var s = r.Startup;
            Line(text, $"| {r.Runtime} | {r.Load} | {s.Count} | {r.Errors} | {r.PodsPerSecond:0.0} | {s.P50:0.0} | {s.P90:0.0} | {s.P99:0.0} | {s.Max:0.0} | {r.Cpu.ServerCores:0.00} / {r.CommandCores:0.00} / {r.Cpu.ClientCores:0.00} / {Math.Max(0, r.Cpu.OtherCores - r.CommandCores):0.00} | {r.LoadBefore:0.0} | {r.Teardown.TotalSeconds:0.0} |");
        }

        Line(text, "");
        Line(text, "Where each pod's time went, p50 / p99 ms (from the create's send unless said otherwise):");
        Line(text, "");
        Line(text, "| Runtime | Load | create answered | ADDED on the watch | runtime start (agent log) | rest of the agent (ADDED → Running − runtime start) | Running on the watch |");
        Line(text, "|---|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            Line(text, $"| {r.Runtime} | {r.Load} | {Pair(r.Acknowledged)} | {Pair(r.Added)} | {Pair(r.RuntimeStart)} | {Pair(r.AgentOther)} | {Pair(r.Startup)} |");
        }

        if (baselines is not null)
        {
            Line(text, "");
            Line(text, $"Bare runtimes and the data disk, {options.BaselineRuns} runs each, with the cluster stopped (busy cores: the whole machine, the command included):");
            Line(text, "");
            Line(text, "| Baseline | What it includes | p50 ms | p90 ms | p99 ms | max ms | busy cores |");
            Line(text, "|---|---|--:|--:|--:|--:|--:|");
            Line(text, $"| `runc run -d` | runc spec defaults: pid, mount, ipc, uts, net (empty) namespaces, cgroups, busybox rootfs read-only, `sleep 3600`; until runc returns | {Row(baselines.Runc)} | {Busy(baselines.RuncCpu)} |");
            Line(text, $"| `unshare --pid --fork --mount-proc --net --ipc --uts true` | the namespaces, /proc; no cgroup, no network setup; until `true` was reaped | {Row(baselines.Unshare)} | {Busy(baselines.UnshareCpu)} |");
            Line(text, $"| 4 KiB write + `fsync` in the data directory | the floor under each of the store's commits (a pod's start here waits for two: its create and its Running status); one every 50 ms | {Row(baselines.DiskSync)} | — |");
            Line(text, "");
            Line(text, "### Target: pod startup p99 within 5× the bare runtime's p99");
            Line(text, "");
            Line(text, "Judged at the open loops' loads, as Kubernetes judges its pod startup objective on one node (clusterloader2's node-throughput test: latency pods created at a uniform rate, 5 a second by default). A closed loop starts each pod as soon as the last one runs, so it measures the node saturated (the sandbox pool's CNI plugins of the pod before compete with the next pod's start for the cores); its ratio is listed for the record, not judged.");
            Line(text, "");
            foreach (var r in results)
            {
                var bare = baselines.For(r.Runtime);
                var ratio = r.Startup.P99 / bare.P99;
                var verdict = r.Load.Rate is null ? "(saturated, not judged)" : ratio <= TargetRatio ? "PASS" : "MISS";
                Line(text, string.Create(CultureInfo.InvariantCulture,
                    $"- {verdict} {r.Runtime} at {r.Load.Describe()}: p99 {r.Startup.P99:0.0} ms / {Baselines.NameFor(r.Runtime)} p99 {bare.P99:0.0} ms = **{ratio:0.0}×** (p50 ratio {r.Startup.P50 / bare.P50:0.0}×)"));
            }

            foreach (var r in results)
            {
                Line(text, $"- {(r.Startup.P99 <= 5000 ? "PASS" : "MISS")} {r.Runtime} at {r.Load.Describe()}: p99 ≤ 5 s (Kubernetes pod startup SLO, which excludes image pulls)");
            }
        }

        if (findings.Count > 0)
        {
            Line(text, "");
            Line(text, "### Findings");
            Line(text, "");
            foreach (var finding in findings)
            {
                Line(text, "- " + finding);
            }
        }

        return text.ToString();
    }

    private static string Pair(LatencyStats stats) =>
        stats.Count == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{stats.P50:0.0} / {stats.P99:0.0}");

    private static string Row(LatencyStats s) => string.Create(CultureInfo.InvariantCulture, $"{s.P50:0.0} | {s.P90:0.0} | {s.P99:0.0} | {s.Max:0.0}");

    private static string Busy(CpuUsage cpu) => (cpu.ServerCores + cpu.OtherCores).ToString("0.00", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
