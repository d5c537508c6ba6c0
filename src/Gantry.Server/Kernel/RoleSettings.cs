namespace Gantry.Server.Kernel;

/// <summary>
/// A role's share of the cluster: its weight in Dominant Resource Fairness (a role of weight 2 is
/// entitled to twice the dominant share of one of weight 1) and its quota, the minimum kept for it:
/// while a role holds less than its quota, it is offered first, and what it still needs is not
/// offered to anyone else.
/// </summary>
public sealed record RoleSettings(double Weight, ResourceVector Quota)
{
    public static RoleSettings Default { get; } = new(1, ResourceVector.Zero);
}
