namespace Gantry.Core.Metrics;

/// <summary>One pod, named as the agent knows it; <see cref="PodRef"/> carries its UID, so a pod recreated under its
/// name is never credited with its predecessor's usage.</summary>
public sealed record PodStats(PodReference PodRef, IReadOnlyList<ContainerStats> Containers);
