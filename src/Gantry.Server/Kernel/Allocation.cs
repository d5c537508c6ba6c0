namespace Gantry.Server.Kernel;

/// <summary>Resources of one node committed to one piece of work (a pod, a task) of a framework.</summary>
public sealed record Allocation(string Id, string Node, string FrameworkId, ResourceVector Resources);
