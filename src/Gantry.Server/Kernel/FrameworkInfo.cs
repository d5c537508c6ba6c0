namespace Gantry.Server.Kernel;

/// <summary>
/// A registered framework: who it is and the role whose weight and quota it gets resources under. One that
/// <paramref name="RunsOnScalars"/> (a Mesos framework: its tasks need cpus or mem, and pod slots mean nothing to it) is
/// not offered a node whose free cpu and memory are gone; the pod scheduler, whose pods may request nothing, is.
/// </summary>
public sealed record FrameworkInfo(string Id, string Name, string Role, bool RunsOnScalars = false);
