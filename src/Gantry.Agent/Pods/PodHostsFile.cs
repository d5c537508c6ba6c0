using System.Text;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The /etc/hosts kubelet writes for each pod (pkg/kubelet/kubelet_pods.go, ensureHostsFile) and mounts in every
/// container: for a pod with its own network, localhost and the IPv6 names, then the pod's IP with its hostname (FQDN
/// first when spec.subdomain gives it a domain); for a host-network pod, the node's own hosts file under a header.
/// spec.hostAliases follow in both, one line per IP.
/// </summary>
public static class PodHostsFile
{
    private const string ManagedHeader = "# Kubernetes-managed hosts file.\n";
    private const string HostNetworkHeader = "# Kubernetes-managed hosts file (host network).\n";

    /// <summary>Pure: the file's text. <paramref name="nodeHosts"/> is the node's /etc/hosts, read only for a host-network pod.</summary>
    public static string Render(V1Pod pod, PodHostname hostname, string podIp, Func<string> nodeHosts)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(hostname);
        ArgumentNullException.ThrowIfNull(nodeHosts);
        var text = new StringBuilder();
        if (pod.Spec?.HostNetwork == true)
        {
            text.Append(HostNetworkHeader).Append(nodeHosts());
        }
        else
        {
            text.Append(ManagedHeader)
                .Append("127.0.0.1\tlocalhost\n")
                .Append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .Append("fe00::0\tip6-localnet\n")
                .Append("fe00::0\tip6-mcastprefix\n")
                .Append("fe00::1\tip6-allnodes\n")
                .Append("fe00::2\tip6-allrouters\n")
                .Append(hostname.Domain.Length > 0
                    ? $"{podIp}\t{hostname.Hostname}.{hostname.Domain}\t{hostname.Hostname}\n"
                    : $"{podIp}\t{hostname.Hostname}\n");
        }

        if (pod.Spec?.HostAliases is { Count: > 0 } aliases)
        {
            text.Append("\n# Entries added by HostAliases.\n");
            foreach (var alias in aliases)
            {
                text.Append(alias.Ip).Append('\t').AppendJoin('\t', alias.Hostnames ?? []).Append('\n');
            }
        }

        return text.ToString();
    }
}
