using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// A pod's resolv.conf, as the kubelet's DNS configurer (pkg/kubelet/network/dns) builds it from the pod's dnsPolicy:
/// <c>ClusterFirst</c> (the default) names the cluster DNS with the search path <c>&lt;ns&gt;.svc.&lt;domain&gt;
/// svc.&lt;domain&gt; &lt;domain&gt;</c> then the host's, and <c>ndots:5</c>; a hostNetwork pod's ClusterFirst falls
/// back to <c>Default</c> (the host's resolv.conf) unless it asks for <c>ClusterFirstWithHostNet</c>; <c>None</c>
/// starts empty. spec.dnsConfig is merged into all of them (its options override same-named ones); at most three
/// nameservers and 32 search domains are kept.
/// </summary>
/// <param name="ClusterDns">The cluster DNS service's IP (the kubelet's <c>--cluster-dns</c>); empty: ClusterFirst behaves as Default.</param>
/// <param name="HostResolvConf">The host's resolv.conf (the kubelet's <c>--resolv-conf</c>).</param>
public sealed record PodDns(IReadOnlyList<string> ClusterDns, string ClusterDomain, string HostResolvConf)
{
    /// <summary>kubeadm's cluster DNS address (the tenth of 10.96.0.0/12), where the server's <c>kube-dns</c> Service lives.</summary>
    public static readonly PodDns Default = new(["10.96.0.10"], "cluster.local", "/etc/resolv.conf");

    private const int MaxNameservers = 3;
    private const int MaxSearches = 32;

    public ResolvConf For(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var host = File.Exists(HostResolvConf) ? ResolvConf.Parse(File.ReadAllText(HostResolvConf)) : ResolvConf.Empty;
        return For(pod, host);
    }

    /// <summary>Pure: the pod's resolv.conf given the host's.</summary>
    public ResolvConf For(V1Pod pod, ResolvConf host)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(host);
        var hostNetwork = pod.Spec?.HostNetwork == true;
        var config = (pod.Spec?.DnsPolicy ?? "ClusterFirst") switch
        {
            "None" => ResolvConf.Empty,
            "Default" => host,
            "ClusterFirst" when hostNetwork => host,
            _ when ClusterDns.Count == 0 => host,
            _ => new ResolvConf(ClusterDns, ClusterSearches(pod, host), ["ndots:5"]),
        };
        if (pod.Spec?.DnsConfig is { } extra)
        {
            config = new ResolvConf(
                [.. config.Nameservers.Concat(extra.Nameservers ?? []).Distinct()],
                [.. config.Searches.Concat(extra.Searches ?? []).Distinct()],
                MergeOptions(config.Options, extra.Options ?? []));
        }

        return config with
        {
            Nameservers = [.. config.Nameservers.Take(MaxNameservers)],
            Searches = [.. config.Searches.Take(MaxSearches)],
        };
    }

    private List<string> ClusterSearches(V1Pod pod, ResolvConf host)
    {
        if (ClusterDomain.Length == 0)
        {
            return [.. host.Searches];
        }

        var ns = pod.Metadata?.NamespaceProperty ?? "default";
        return [.. new[] { $"{ns}.svc.{ClusterDomain}", $"svc.{ClusterDomain}", ClusterDomain }.Concat(host.Searches).Distinct()];
    }

    /// <summary>kubelet's mergeDNSOptions: <c>name[:value]</c> entries, the pod's replacing the base's of the same name, in first-seen order.</summary>
    private static List<string> MergeOptions(IEnumerable<string> existing, IEnumerable<V1PodDNSConfigOption> extra)
    {
        var merged = new List<(string Name, string Value)>();
        void Set(string name, string value)
        {
            var at = merged.FindIndex(o => o.Name == name);
            if (at >= 0)
            {
                merged[at] = (name, value);
            }
            else
            {
                merged.Add((name, value));
            }
        }

        foreach (var option in existing)
        {
            var colon = option.IndexOf(':', StringComparison.Ordinal);
            Set(colon < 0 ? option : option[..colon], colon < 0 ? "" : option[(colon + 1)..]);
        }

        foreach (var option in extra)
        {
            Set(option.Name ?? "", option.Value ?? "");
        }

        return [.. merged.Select(o => o.Value.Length > 0 ? $"{o.Name}:{o.Value}" : o.Name)];
    }
}
