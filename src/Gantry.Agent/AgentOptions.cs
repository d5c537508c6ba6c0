namespace Gantry.Agent;

/// <summary>How an agent reaches its server, names its node and where it serves the server (port 0: any free port).</summary>
public sealed record AgentOptions(Uri Server, string Token, string CaPem, string NodeName, string StateDirectory, int Port = 10250)
{
    /// <summary>
    /// The address the node reports as its InternalIP and other nodes route its pods through (the kubelet's
    /// <c>--node-ip</c>); null picks the first non-loopback IPv4 address of an interface that is up.
    /// </summary>
    public System.Net.IPAddress? NodeIp { get; init; }

    /// <summary>How long the agent waits at start for the server to give its Node a pod CIDR.</summary>
    public TimeSpan PodCidrWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The agent's state directory inside a gantry data directory (that of <c>--data-dir</c>).</summary>
    public static string StateDirectoryIn(string dataDirectory) => Path.Combine(dataDirectory, "agent");

    /// <summary>The node name the kubelet would pick: the host name, lower-cased.</summary>
    public static string DefaultNodeName() => System.Net.Dns.GetHostName().ToLowerInvariant();
}
