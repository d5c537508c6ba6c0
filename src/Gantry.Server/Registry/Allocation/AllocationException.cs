namespace Gantry.Server.Registry.Allocation;

/// <summary>Why a value could not be allocated, in the words of Kubernetes' ipallocator and portallocator.</summary>
public sealed class AllocationException(AllocationFailureKind kind, string message) : Exception(message)
{
    public AllocationFailureKind Kind { get; } = kind;
}
