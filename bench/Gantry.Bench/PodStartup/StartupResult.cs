using Gantry.Bench.Measurement;

namespace Gantry.Bench.PodStartup;

/// <summary>One run of N pods of one runtime under one load, and how long deleting them took.</summary>
/// <param name="Startup">Create request sent → phase Running seen on the watch: the number the target is about.</param>
/// <param name="Acknowledged">Create request sent → its 201 answer.</param>
/// <param name="Added">Create request sent → its ADDED event on the bench's watch (the agent's watch gets the same event).</param>
/// <param name="RuntimeStart">The agent's own figure for the runtime's StartAsync (image, cgroups, rootfs, shim, until the workload runs).</param>
/// <param name="CommandCores">Cores used by the commands gantry ran and waited for (ip, CNI plugins and their iptables, gantry-shim, runc state/kill): part of <see cref="CpuUsage.OtherCores"/>.</param>
/// <param name="LoadBefore">The machine's 1-minute load average as the run began: on a shared machine, the first thing to look at.</param>
/// <param name="TimelineRows">Per pod, CSV: name, runtime, load (a concurrency, or a rate such as 5/s), then Unix seconds of send, answer, ADDED, Running, and the runtime start in ms.</param>
/// <param name="AgentOther">ADDED → Running minus <paramref name="RuntimeStart"/>: sandbox (netns + CNI), queueing in the agent, the status patch and its way back.</param>
internal sealed record StartupResult(
    string Runtime,
    PodLoad Load,
    LatencyStats Startup,
    LatencyStats Acknowledged,
    LatencyStats Added,
    LatencyStats RuntimeStart,
    LatencyStats AgentOther,
    int Errors,
    string? FirstError,
    double PodsPerSecond,
    CpuUsage Cpu,
    double CommandCores,
    double LoadBefore,
    TimeSpan Teardown,
    string? TeardownProblem,
    IReadOnlyList<string> TimelineRows);
