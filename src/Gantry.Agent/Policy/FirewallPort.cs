namespace Gantry.Agent.Policy;

/// <summary>A protocol (as nftables names it: <c>tcp</c>, <c>udp</c>, <c>sctp</c>) and a range of ports, both ends included.</summary>
public sealed record FirewallPort(string Protocol, int From, int To);
