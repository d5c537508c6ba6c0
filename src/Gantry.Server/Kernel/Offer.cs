namespace Gantry.Server.Kernel;

/// <summary>Free resources of one node offered to one framework until it accepts, declines or they are rescinded.</summary>
public sealed record Offer(string Id, string FrameworkId, string Node, ResourceVector Resources);
