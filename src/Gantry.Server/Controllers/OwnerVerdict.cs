namespace Gantry.Server.Controllers;

/// <summary>The collector's decision for one dependent, from the state of each of its owners.</summary>
public sealed record OwnerVerdict(IReadOnlyList<OwnerGraphReference> Remove, bool Delete, string Policy)
{
    public static OwnerVerdict Keep { get; } = new([], false, "Background");

    /// <summary>
    /// With a solid owner the object stays and only its references to dangling or waiting owners go;
    /// without one it is deleted: in the foreground when an owner waits for it and it has dependents of
    /// its own (so that they go first), else in the background (<c>attemptToDeleteItem</c>).
    /// </summary>
    public static OwnerVerdict Decide(IReadOnlyList<(OwnerGraphReference Reference, OwnerState State)> owners, bool hasDependents)
    {
        if (owners.Count == 0)
        {
            return Keep;
        }

        if (owners.Any(o => o.State == OwnerState.Solid))
        {
            var remove = owners.Where(o => o.State != OwnerState.Solid).Select(o => o.Reference).ToList();
            return remove.Count == 0 ? Keep : new OwnerVerdict(remove, false, "Background");
        }

        var waiting = owners.Any(o => o.State == OwnerState.WaitingForDependents);
        return new OwnerVerdict([], true, waiting && hasDependents ? "Foreground" : "Background");
    }
}
