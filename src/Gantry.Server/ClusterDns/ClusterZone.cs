using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// The cluster zone (<c>cluster.local</c>) as CoreDNS's kubernetes plugin serves it, following the Kubernetes DNS
/// specification: <c>&lt;svc&gt;.&lt;ns&gt;.svc</c> A records (the cluster IP; for a headless service its ready
/// endpoints' addresses), <c>&lt;endpoint&gt;.&lt;svc&gt;.&lt;ns&gt;.svc</c> for each endpoint (its hostname, or its
/// address with dashes), SRV records <c>_&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;.&lt;ns&gt;.svc</c> for named ports,
/// CNAMEs for ExternalName services and <c>&lt;a-b-c-d&gt;.&lt;ns&gt;.pod</c> (CoreDNS's <c>pods insecure</c>, the
/// kubeadm default), and PTR records for the reverse names of Services' cluster IPs and endpoint addresses. Unknown
/// names get NXDOMAIN, known names without records of the asked type NODATA, both with the
/// zone's SOA; every answer is authoritative with CoreDNS's TTL of 5 seconds. Pure over its source.
/// </summary>
public sealed class ClusterZone(IClusterDnsSource source, string domain = ClusterZone.DefaultDomain, uint serial = 1)
{
    public const string DefaultDomain = "cluster.local";

    private const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>CoreDNS's default TTL for the kubernetes plugin's records, and the SOA minimum (negative caching).</summary>
    public const uint Ttl = 5;

    public string Domain => domain;

    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.TrimEnd('.');
        return trimmed.Equals(domain, StringComparison.OrdinalIgnoreCase)
            || trimmed.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
    }

    public ZoneAnswer Answer(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var name = question.Name.TrimEnd('.');
        var relative = name.Length == domain.Length ? "" : name[..^(domain.Length + 1)];
        string[] labels = relative.Length == 0 ? [] : relative.ToLowerInvariant().Split('.');
        if (labels.Length == 0)
        {
            return question.Type == DnsType.Soa ? new ZoneAnswer(DnsResponseCode.NoError, [Soa()], [], []) : NoData();
        }

        return labels[^1] switch
        {
            "svc" => ServiceNames(question, labels[..^1]),
            "pod" => PodNames(question, labels[..^1]),
            _ => NameError(),
        };
    }

    /// <summary>
    /// A PTR answer for the reverse name (<c>in-addr.arpa</c>, <c>ip6.arpa</c>) of a Service's cluster IP, which names
    /// <c>&lt;svc&gt;.&lt;ns&gt;.svc</c>, or else of its ready endpoints' addresses, which name
    /// <c>&lt;hostname or dashed address&gt;.&lt;svc&gt;.&lt;ns&gt;.svc</c>, as CoreDNS's kubernetes plugin answers. Null when no
    /// Service has the address: the question then goes upstream, as with CoreDNS's <c>fallthrough in-addr.arpa ip6.arpa</c>.
    /// </summary>
    public ZoneAnswer? Reverse(DnsQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (question.Type != DnsType.Ptr || ReverseAddress(question.Name) is not { } address)
        {
            return null;
        }

        var ip = address.ToString();
        if (source.ServicesWithClusterIp(ip) is [var service, ..])
        {
            return Found([Ptr(question.Name, ServiceName(service.Name(), service.Namespace() ?? "default"))]);
        }

        var names = source.SlicesWithAddress(ip)
            .Where(slice => slice.Labels()?.ContainsKey(ServiceNameLabel) == true)
            .SelectMany(slice => (slice.Endpoints ?? [])
                .Where(endpoint => endpoint.Conditions?.Ready != false && endpoint.Addresses?.Contains(ip) == true)
                .Select(endpoint => $"{EndpointLabel(endpoint, address)}.{ServiceName(slice.Labels()[ServiceNameLabel], slice.Namespace() ?? "default")}"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return names.Count == 0 ? null : Found([.. names.Select(name => Ptr(question.Name, name))]);
    }

    /// <summary><c>4.3.2.1.in-addr.arpa</c> → 1.2.3.4, 32 nibbles under <c>ip6.arpa</c> → an IPv6 address; null for anything else.</summary>
    public static IPAddress? ReverseAddress(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var labels = name.TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels is [.. var octets, "in-addr", "arpa"] && octets.Length == 4)
        {
            // Byte by byte: IPAddress.Parse would read a leading zero as octal (or throw on "09").
            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                var octet = octets[3 - i];
                if (octet.Length is 0 or > 3 || (octet.Length > 1 && octet[0] == '0') || !octet.All(char.IsAsciiDigit) ||
                    !byte.TryParse(octet, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bytes[i]))
                {
                    return null;
                }
            }

            return new IPAddress(bytes);
        }

        if (labels is [.. var nibbles, "ip6", "arpa"] && nibbles.Length == 32 && nibbles.All(n => n.Length == 1 && char.IsAsciiHexDigit(n[0])))
        {
            var hex = string.Concat(nibbles.Reverse());
            return IPAddress.Parse(string.Join(':', Enumerable.Range(0, 8).Select(i => hex.Substring(i * 4, 4))));
        }

        return null;
    }

    private ZoneAnswer ServiceNames(DnsQuestion question, string[] labels) => labels switch
    {
        [] => NoData(),
        [var ns] => source.NamespaceExists(ns) ? NoData() : NameError(),
        [var service, var ns] => Service(question, service, ns),
        [var endpoint, var service, var ns] when !endpoint.StartsWith('_') => Endpoint(question, endpoint, service, ns),
        [['_', .. var port], ['_', .. var protocol], var service, var ns] => Srv(question, port, protocol, service, ns),
        _ => NameError(),
    };

    private ZoneAnswer Service(DnsQuestion question, string name, string ns)
    {
        if (source.Service(ns, name) is not { Spec: { } spec })
        {
            return NameError();
        }

        if (spec.Type == "ExternalName")
        {
            return string.IsNullOrEmpty(spec.ExternalName)
                ? NameError()
                : Found([new DnsRecord(question.Name, DnsType.Cname, DnsType.ClassIn, Ttl, new NameData(spec.ExternalName))]);
        }

        var target = ServiceName(name, ns);
        if (IsHeadless(spec))
        {
            var endpoints = Endpoints(ns, name);
            if (endpoints.Count == 0)
            {
                return NameError();
            }

            return question.Type switch
            {
                DnsType.A or DnsType.Any => Found([.. endpoints.Select(e => e.Address).Distinct().Select(ip => A(question.Name, ip))]),
                DnsType.Srv => SrvAnswer(question.Name, name, ns, endpoints, port => true, protocol => true),
                _ => NoData(),
            };
        }

        if (!IPAddress.TryParse(spec.ClusterIP, out var clusterIp) || clusterIp.AddressFamily != AddressFamily.InterNetwork)
        {
            return NameError();
        }

        return question.Type switch
        {
            DnsType.A or DnsType.Any => Found([A(question.Name, clusterIp)]),
            DnsType.Srv => ClusterIpSrv(question.Name, target, clusterIp, spec.Ports ?? [], port => true, protocol => true),
            _ => NoData(),
        };
    }

    private ZoneAnswer Endpoint(DnsQuestion question, string label, string service, string ns)
    {
        if (source.Service(ns, service) is not { Spec: { } spec } || spec.Type == "ExternalName")
        {
            return NameError();
        }

        var addresses = Endpoints(ns, service).Where(e => e.Label == label).Select(e => e.Address).Distinct().ToList();
        if (addresses.Count == 0)
        {
            return NameError();
        }

        return question.Type is DnsType.A or DnsType.Any ? Found([.. addresses.Select(ip => A(question.Name, ip))]) : NoData();
    }

    private ZoneAnswer Srv(DnsQuestion question, string port, string protocol, string service, string ns)
    {
        if (source.Service(ns, service) is not { Spec: { } spec } || spec.Type == "ExternalName")
        {
            return NameError();
        }

        bool PortMatches(string name) => name.Length > 0 && name.Equals(port, StringComparison.OrdinalIgnoreCase);
        bool ProtocolMatches(string name) => name.Equals(protocol, StringComparison.OrdinalIgnoreCase);
        ZoneAnswer answer;
        if (IsHeadless(spec))
        {
            answer = SrvAnswer(question.Name, service, ns, Endpoints(ns, service), PortMatches, ProtocolMatches);
        }
        else if (IPAddress.TryParse(spec.ClusterIP, out var clusterIp) && clusterIp.AddressFamily == AddressFamily.InterNetwork)
        {
            answer = ClusterIpSrv(question.Name, ServiceName(service, ns), clusterIp, spec.Ports ?? [], PortMatches, ProtocolMatches);
        }
        else
        {
            return NameError();
        }

        if (answer.Answers.Count == 0)
        {
            return NameError();
        }

        return question.Type is DnsType.Srv or DnsType.Any ? answer : NoData();
    }

    private ZoneAnswer ClusterIpSrv(string owner, string target, IPAddress clusterIp, IList<V1ServicePort> ports, Func<string, bool> port, Func<string, bool> protocol)
    {
        var matching = ports.Where(p => port(p.Name ?? "") && protocol(p.Protocol ?? "TCP")).ToList();
        if (matching.Count == 0)
        {
            return NoData();
        }

        var weight = (ushort)(100 / matching.Count);
        return new ZoneAnswer(
            DnsResponseCode.NoError,
            [.. matching.Select(p => SrvRecord(owner, target, weight, p.Port))],
            [],
            [A(target, clusterIp)]);
    }

    private ZoneAnswer SrvAnswer(string owner, string service, string ns, IReadOnlyList<ServiceEndpoint> endpoints, Func<string, bool> port, Func<string, bool> protocol)
    {
        var found = endpoints
            .SelectMany(e => e.Ports.Where(p => port(p.Name) && protocol(p.Protocol)).Select(p => (Target: $"{e.Label}.{ServiceName(service, ns)}", e.Address, p.Port)))
            .Distinct()
            .ToList();
        if (found.Count == 0)
        {
            return NoData();
        }

        var weight = (ushort)(100 / found.Count);
        return new ZoneAnswer(
            DnsResponseCode.NoError,
            [.. found.Select(f => SrvRecord(owner, f.Target, weight, f.Port))],
            [],
            [.. found.Select(f => (f.Target, f.Address)).Distinct().Select(f => A(f.Target, f.Address))]);
    }

    private ZoneAnswer PodNames(DnsQuestion question, string[] labels)
    {
        switch (labels)
        {
            case []:
                return NoData();
            case [var ns]:
                return source.NamespaceExists(ns) ? NoData() : NameError();
            case [var dashed, var ns]:
                if (!source.NamespaceExists(ns) || DashedAddress(dashed) is not { } ip)
                {
                    return NameError();
                }

                return question.Type is DnsType.A or DnsType.Any ? Found([A(question.Name, ip)]) : NoData();
            default:
                return NameError();
        }
    }

    /// <summary>The ready addresses of a service's IPv4 slices (an endpoint with no ready condition counts as ready), one entry per name and address.</summary>
    private List<ServiceEndpoint> Endpoints(string ns, string service)
    {
        var found = new Dictionary<(string, IPAddress), List<(string, string, int)>>();
        foreach (var slice in source.Slices(ns, service).Where(s => s.AddressType == "IPv4"))
        {
            var ports = (slice.Ports ?? []).Where(p => p.Port is not null).Select(p => (p.Name ?? "", (p.Protocol ?? "TCP").ToLowerInvariant(), p.Port!.Value)).ToList();
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Conditions?.Ready == false || endpoint.Addresses is not { Count: > 0 } addresses
                    || !IPAddress.TryParse(addresses[0], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
                {
                    continue;
                }

                var label = EndpointLabel(endpoint, ip);
                if (!found.TryGetValue((label, ip), out var known))
                {
                    found[(label, ip)] = known = [];
                }

                known.AddRange(ports.Where(p => !known.Contains(p)));
            }
        }

        return [.. found
            .OrderBy(kv => BinaryPrimitives.ReadUInt32BigEndian(kv.Key.Item2.GetAddressBytes()))
            .ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal)
            .Select(kv => new ServiceEndpoint(kv.Key.Item1, kv.Key.Item2, kv.Value))];
    }

    private static bool IsHeadless(V1ServiceSpec spec) => spec.ClusterIP == "None";

    /// <summary><c>10-88-0-5</c> → 10.88.0.5; null for anything else (CoreDNS answers NXDOMAIN then).</summary>
    private static IPAddress? DashedAddress(string label)
    {
        var parts = label.Split('-');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) > 255))
        {
            return null;
        }

        return IPAddress.Parse(string.Join('.', parts));
    }

    private string ServiceName(string service, string ns) => $"{service}.{ns}.svc.{domain}";

    /// <summary>An endpoint's label: its hostname, or its address with dashes for dots (and colons).</summary>
    private static string EndpointLabel(V1Endpoint endpoint, IPAddress address) =>
        string.IsNullOrEmpty(endpoint.Hostname) ? address.ToString().Replace('.', '-').Replace(':', '-') : endpoint.Hostname.ToLowerInvariant();

    private static DnsRecord Ptr(string name, string target) => new(name, DnsType.Ptr, DnsType.ClassIn, Ttl, new NameData(target));

    private static DnsRecord A(string name, IPAddress ip) => new(name, DnsType.A, DnsType.ClassIn, Ttl, new AddressData(ip));

    private static DnsRecord SrvRecord(string owner, string target, ushort weight, int port) =>
        new(owner, DnsType.Srv, DnsType.ClassIn, Ttl, new SrvData(0, weight, (ushort)port, target));

    private DnsRecord Soa() => new(domain, DnsType.Soa, DnsType.ClassIn, Ttl, new SoaData($"ns.dns.{domain}", $"hostmaster.{domain}", serial, 7200, 1800, 86400, Ttl));

    private static ZoneAnswer Found(IReadOnlyList<DnsRecord> answers) => new(DnsResponseCode.NoError, answers, [], []);

    private ZoneAnswer NoData() => new(DnsResponseCode.NoError, [], [Soa()], []);

    private ZoneAnswer NameError() => new(DnsResponseCode.NameError, [], [Soa()], []);
}
