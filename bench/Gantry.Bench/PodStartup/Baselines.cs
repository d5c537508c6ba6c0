using Gantry.Bench.Measurement;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// The bare runtimes' start times (see <see cref="BareRuntimes"/>), how busy the machine was meanwhile, and the data
/// disk's sync time (see <see cref="DiskSync"/>).
/// </summary>
internal sealed record Baselines(LatencyStats Runc, CpuUsage RuncCpu, LatencyStats Unshare, CpuUsage UnshareCpu, LatencyStats DiskSync)
{
    /// <summary>OCI pods are compared with runc, process pods with unshare.</summary>
    public LatencyStats For(string runtime) => runtime == "oci" ? Runc : Unshare;

    public static string NameFor(string runtime) => runtime == "oci" ? "bare `runc run -d`" : "bare `unshare`";
}
