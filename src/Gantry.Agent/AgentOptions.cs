namespace Gantry.Agent;

/// <summary>How an agent reaches its server, names its node and where it serves the server (port 0: any free port).</summary>
public sealed record AgentOptions(Uri Server, string Token, string CaPem, string NodeName, string StateDirectory, int Port = 10250)
{
    /// <summary>The node name the kubelet would pick: the host name, lower-cased.</summary>
    public static string DefaultNodeName() => System.Net.Dns.GetHostName().ToLowerInvariant();
}
