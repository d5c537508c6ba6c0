namespace Gantry.Server.ClusterDns;

/// <summary>A message that does not parse: too short, a label or pointer out of bounds, a compression loop.</summary>
public sealed class DnsFormatException(string message) : Exception(message);
