namespace Gantry.Server.Kernel;

/// <summary>A registered framework: who it is and the role whose weight and quota it gets resources under.</summary>
public sealed record FrameworkInfo(string Id, string Name, string Role);
