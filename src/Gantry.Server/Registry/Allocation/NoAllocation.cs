namespace Gantry.Server.Registry.Allocation;

/// <summary>The transaction of a write that holds nothing (a dry run, which keeps nothing reserved).</summary>
internal sealed class NoAllocation : IAllocationTransaction
{
    public static NoAllocation Instance { get; } = new();

    public void Commit()
    {
    }

    public void Revert()
    {
    }
}
