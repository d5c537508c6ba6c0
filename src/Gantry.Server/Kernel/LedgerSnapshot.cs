namespace Gantry.Server.Kernel;

/// <summary>The ledger at one version: every node's account and what each framework holds in all.</summary>
public sealed record LedgerSnapshot(
    long Version,
    IReadOnlyDictionary<string, NodeAccount> Nodes,
    IReadOnlyDictionary<string, ResourceVector> AllocatedByFramework)
{
    public ResourceVector Total => Nodes.Values.Aggregate(ResourceVector.Zero, (sum, n) => sum.Add(n.Allocatable));
}
