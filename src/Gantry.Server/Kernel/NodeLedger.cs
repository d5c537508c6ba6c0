namespace Gantry.Server.Kernel;

/// <summary>One node's account in the ledger: what it can hold and what is committed on it, and to whom.</summary>
public sealed class NodeLedger(string name, ResourceVector allocatable)
{
    public string Name { get; } = name;

    public ResourceVector Allocatable { get; internal set; } = allocatable;

    public ResourceVector Allocated { get; internal set; } = ResourceVector.Zero;

    /// <summary>Allocatable less allocated; negative parts only after the node shrank under its work.</summary>
    public ResourceVector Free => Allocatable.Subtract(Allocated);

    internal Dictionary<string, Allocation> Allocations { get; } = [];
}
