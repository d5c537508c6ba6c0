namespace Gantry.Server.Scheduling;

/// <summary>
/// Where a pod of a gang stands in <c>gantry explain</c>: its gang's members (how many exist, how many are bound),
/// and whether the waiting ones would be placed together now, with this pod's node in that plan or why not.
/// </summary>
public sealed record GangExplanation(string Name, int Size, int Present, int Bound, string? Node, string? Refusal);
