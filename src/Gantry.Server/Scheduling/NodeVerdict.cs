namespace Gantry.Server.Scheduling;

/// <summary>What the framework found of one node for one pod: why it was refused, or its scores.</summary>
public sealed record NodeVerdict(string Node, string? RefusedBy, IReadOnlyList<string> Reasons, IReadOnlyDictionary<string, int> Scores, long Total);
