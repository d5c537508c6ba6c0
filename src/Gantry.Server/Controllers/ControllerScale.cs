namespace Gantry.Server.Controllers;

/// <summary>A pod's controller and the replicas it asks for, which a budget's percentages and maxUnavailable count against.</summary>
internal sealed record ControllerScale(string Uid, int Replicas);
