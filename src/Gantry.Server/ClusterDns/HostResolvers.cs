using System.Net;

namespace Gantry.Server.ClusterDns;

/// <summary>The nameservers of a resolv.conf: where names outside the cluster zone are forwarded (CoreDNS's <c>forward . /etc/resolv.conf</c>).</summary>
public static class HostResolvers
{
    public const string DefaultPath = "/etc/resolv.conf";

    /// <summary>Each <c>nameserver</c> line's address, port 53, in order; none when the file is missing.</summary>
    public static IReadOnlyList<IPEndPoint> Read(string path = DefaultPath) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : [];

    public static IReadOnlyList<IPEndPoint> Parse(string resolvConf)
    {
        ArgumentNullException.ThrowIfNull(resolvConf);
        var found = new List<IPEndPoint>();
        foreach (var line in resolvConf.Split('\n'))
        {
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["nameserver", var address, ..] && IPAddress.TryParse(address, out var ip))
            {
                found.Add(new IPEndPoint(ip, 53));
            }
        }

        return found;
    }
}
