using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// The placed pods whose required anti-affinity terms are identical (same selector, namespaces, owner
/// namespace and topology key): one term selects a candidate for all of them, so a placement tests
/// the term once and reads how many such pods each topology domain holds.
/// </summary>
internal sealed class AntiAffinityGroup(V1PodAffinityTerm term, V1Pod owner)
{
    /// <summary>The term, as the first pod of the group carries it.</summary>
    public V1PodAffinityTerm Term { get; } = term;

    /// <summary>A pod carrying <see cref="Term"/>: its namespace is the term's default namespace.</summary>
    public V1Pod Owner { get; } = owner;

    /// <summary>Pods carrying the term per domain of its topology key; a domain leaves when its count reaches zero.</summary>
    public DomainTally Domains { get; } = new();
}
