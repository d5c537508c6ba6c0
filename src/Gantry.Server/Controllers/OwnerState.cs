namespace Gantry.Server.Controllers;

/// <summary>
/// What an object's owners say about it (the garbage collector's <c>classifyReferences</c>): solid
/// owners keep it; dangling ones (gone, or replaced by a namesake with another uid) and owners
/// waiting for their dependents (foreground deletion) do not.
/// </summary>
public enum OwnerState
{
    Solid,
    Dangling,
    WaitingForDependents,
}
