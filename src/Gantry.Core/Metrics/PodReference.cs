namespace Gantry.Core.Metrics;

public sealed record PodReference(string Name, string Namespace, string Uid);
