namespace Gantry.Agent.Streaming;

/// <summary>
/// The protocol names kubectl and the kubelet negotiate, and what each version changes.
/// v2 adds separate stderr handling, v3 the resize stream, v4 a JSON Status on the error stream
/// (and with it exit codes), v5 the WebSocket close signal for stdin.
/// </summary>
internal static class StreamProtocols
{
    public const string V1 = "channel.k8s.io";
    public const string V2 = "v2.channel.k8s.io";
    public const string V3 = "v3.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";
    public const string V5 = "v5.channel.k8s.io";

    public const string PortForward = "portforward.k8s.io";

    /// <summary>The WebSocket subprotocol of kubectl 1.31+ port-forwarding: SPDY bytes inside binary messages.</summary>
    public const string TunnelledPortForward = "SPDY/3.1+" + PortForward;

    /// <summary>The request and response header carrying SPDY protocol offers and the choice.</summary>
    public const string VersionHeader = "X-Stream-Protocol-Version";

    /// <summary>The response header listing what the server accepts when nothing offered matched.</summary>
    public const string AcceptedVersionsHeader = "X-Accepted-Stream-Protocol-Versions";

    public const string SpdyUpgrade = "SPDY/3.1";

    /// <summary>Remote command protocols over SPDY, most preferred first.</summary>
    public static readonly IReadOnlyList<string> RemoteCommandOverSpdy = [V5, V4, V3, V2, V1];

    /// <summary>
    /// Remote command protocols over WebSocket, most preferred first: the binary ones the kubelet
    /// supports that carry exit codes (kubectl 1.30+ offers only v5; other clients offer v4).
    /// </summary>
    public static readonly IReadOnlyList<string> RemoteCommandOverWebSocket = [V5, V4];

    /// <summary>The first of <paramref name="supported"/> that the client offered, or null.</summary>
    public static string? Negotiate(IEnumerable<string> offered, IReadOnlyList<string> supported)
    {
        var offers = offered
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        return supported.FirstOrDefault(offers.Contains);
    }

    public static bool HasResizeStream(string protocol) => protocol is V3 or V4 or V5;

    public static bool ReportsStatusAsJson(string protocol) => protocol is V4 or V5;
}
