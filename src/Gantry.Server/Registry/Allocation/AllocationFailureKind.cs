namespace Gantry.Server.Registry.Allocation;

/// <summary>The allocators' error classes: <c>ErrAllocated</c>, <c>ErrNotInRange</c>, <c>ErrFull</c>.</summary>
public enum AllocationFailureKind
{
    Allocated,
    NotInRange,
    Full,
}
