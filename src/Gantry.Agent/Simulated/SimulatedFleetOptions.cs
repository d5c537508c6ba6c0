namespace Gantry.Agent.Simulated;

/// <summary>
/// How many simulated (hollow) nodes a <see cref="SimulatedNodeFleet"/> runs and what each claims
/// to hold. The defaults are a modest machine (4 cpu, 16Gi, the kubelet's 110 pods); the timings
/// are the kubelet's: a lease renewed every 10 s, node status re-posted every 5 min when nothing
/// changed (nodeStatusReportFrequency).
/// </summary>
/// <param name="NodeCount">How many nodes; they are named <c>{NamePrefix}{index}</c> from <see cref="FirstIndex"/>.</param>
/// <param name="Parallelism">At most this many requests in flight for lease renewals, and as many for pod status and deletion.</param>
public sealed record SimulatedFleetOptions(
    int NodeCount,
    string NamePrefix = "hollow-node-",
    string Cpu = "4",
    string Memory = "16Gi",
    int MaxPods = 110,
    int Parallelism = 32)
{
    /// <summary>The most nodes the address plan (one /24 of 10.128.0.0/9 per node) has room for.</summary>
    public const int MaxNodes = 32_768;

    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan NodeStatusReportInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The index of the fleet's first node: fleets started side by side take disjoint ranges, so their names and addresses differ.</summary>
    public int FirstIndex { get; init; }

    /// <summary>Labels every node carries besides the standard ones (hostname, os, arch).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string NodeName(int index) => NamePrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
