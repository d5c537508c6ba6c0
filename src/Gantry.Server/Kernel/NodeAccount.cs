namespace Gantry.Server.Kernel;

/// <summary>A node's account at one instant: what it can hold and what is committed on it.</summary>
public sealed record NodeAccount(string Node, ResourceVector Allocatable, ResourceVector Allocated)
{
    public ResourceVector Free => Allocatable.Subtract(Allocated);
}
