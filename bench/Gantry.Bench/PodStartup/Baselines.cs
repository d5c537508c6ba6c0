using Gantry.Bench.Measurement;

namespace Gantry.Bench.PodStartup;

/// <summary>The bare runtimes' start times (see <see cref="BareRuntimes"/>) and how busy the machine was meanwhile.</summary>
internal sealed record Baselines(LatencyStats Runc, CpuUsage RuncCpu, LatencyStats Unshare, CpuUsage UnshareCpu)
{
    /// <summary>OCI pods are compared with runc, process pods with unshare.</summary>
    public LatencyStats For(string runtime) => runtime == "oci" ? Runc : Unshare;

    public static string NameFor(string runtime) => runtime == "oci" ? "bare `runc run -d`" : "bare `unshare`";
}
