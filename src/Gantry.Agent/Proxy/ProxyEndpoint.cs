namespace Gantry.Agent.Proxy;

/// <summary>
/// One endpoint of a service port, read from an EndpointSlice with the API's defaults applied: a missing ready means
/// ready, a missing serving means whatever ready says, a missing terminating means not terminating.
/// </summary>
public sealed record ProxyEndpoint(string Ip, int Port, bool Ready, bool Serving, bool Terminating, bool IsLocal)
{
    /// <summary><c>ip:port</c>, what the endpoint's chain DNATs to.</summary>
    public string Address => $"{Ip}:{Port}";
}
