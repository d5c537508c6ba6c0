using System.Net;
using System.Net.Sockets;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// The Marathon apps' zone (<c>marathon.gantry</c>), as Mesos-DNS serves <c>marathon.mesos</c>:
/// <c>&lt;app&gt;.marathon.gantry</c> has an A record for each running, ready task of the app, where &lt;app&gt; is the
/// app id's segments last first, joined with dashes (<c>/shop/web</c> → <c>web-shop</c>). An app with no such task has
/// the name without records; any other name is NXDOMAIN. Authoritative, with the cluster zone's TTL.
/// </summary>
public sealed class MarathonZone(IMarathonDnsSource source, uint serial = 1)
{
    public const string Domain = "marathon.gantry";

    /// <summary>Mesos-DNS's name of a Marathon app: its id's segments reversed, joined with dashes.</summary>
    public static string AppLabel(string appId)
    {
        ArgumentNullException.ThrowIfNull(appId);
        return string.Join('-', appId.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
    }

    public static bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.TrimEnd('.');
        return trimmed.Equals(Domain, StringComparison.OrdinalIgnoreCase) || trimmed.EndsWith("." + Domain, StringComparison.OrdinalIgnoreCase);
    }

    public ZoneAnswer Answer(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var name = question.Name.TrimEnd('.');
        if (name.Length == Domain.Length)
        {
            return question.Type == DnsType.Soa ? new ZoneAnswer(DnsResponseCode.NoError, [Soa()], [], []) : NoData();
        }

        var app = name[..^(Domain.Length + 1)].ToLowerInvariant();
        if (source.TaskAddresses(app) is not { } addresses)
        {
            return new ZoneAnswer(DnsResponseCode.NameError, [], [Soa()], []);
        }

        var records = addresses
            .Where(ip => question.Type == DnsType.Any
                || (question.Type == DnsType.A && ip.AddressFamily == AddressFamily.InterNetwork)
                || (question.Type == DnsType.Aaaa && ip.AddressFamily == AddressFamily.InterNetworkV6))
            .OrderBy(ip => ip.ToString(), StringComparer.Ordinal)
            .Select(ip => new DnsRecord(
                question.Name, ip.AddressFamily == AddressFamily.InterNetworkV6 ? DnsType.Aaaa : DnsType.A, DnsType.ClassIn, ClusterZone.Ttl, new AddressData(ip)))
            .ToList();
        return records.Count == 0 ? NoData() : new ZoneAnswer(DnsResponseCode.NoError, records, [], []);
    }

    private ZoneAnswer NoData() => new(DnsResponseCode.NoError, [], [Soa()], []);

    private DnsRecord Soa() =>
        new(Domain, DnsType.Soa, DnsType.ClassIn, ClusterZone.Ttl, new SoaData($"ns.{Domain}", $"hostmaster.{Domain}", serial, 7200, 1800, 86400, ClusterZone.Ttl));
}

/// <summary>The Marathon apps' tasks the zone answers from, in memory.</summary>
public interface IMarathonDnsSource
{
    /// <summary>The addresses of the app's running, ready tasks under its Mesos-DNS name; null when no app has the name.</summary>
    IReadOnlyList<IPAddress>? TaskAddresses(string appLabel);
}
