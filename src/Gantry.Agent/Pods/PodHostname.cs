using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// A pod's hostname and domain, as kubelet's GeneratePodHostNameAndDomain makes them: spec.hostname or the pod's name,
/// cut to 63 characters (and then of trailing '-' and '.'), and <c>&lt;subdomain&gt;.&lt;namespace&gt;.svc.&lt;cluster
/// domain&gt;</c> when spec.subdomain is set.
/// </summary>
public sealed record PodHostname(string Hostname, string Domain)
{
    private const int MaxHostnameLength = 63;

    /// <summary>The kernel's limit on a nodename (64 bytes, the terminating NUL included).</summary>
    private const int MaxNodenameLength = 64;

    public static PodHostname For(V1Pod pod, string clusterDomain)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var hostname = pod.Spec?.Hostname is { Length: > 0 } specified ? specified : pod.Metadata?.Name ?? "";
        if (hostname.Length > MaxHostnameLength)
        {
            hostname = hostname[..MaxHostnameLength].TrimEnd('-', '.');
        }

        var domain = pod.Spec?.Subdomain is { Length: > 0 } subdomain ? $"{subdomain}.{pod.Metadata?.NamespaceProperty ?? "default"}.svc.{clusterDomain}" : "";
        return new PodHostname(hostname, domain);
    }

    /// <summary>What the container's UTS namespace is named (kubelet's GetNodenameForKernel): the FQDN with setHostnameAsFQDN and a domain, else the hostname.</summary>
    /// <exception cref="ContainerConfigException">The FQDN is longer than the kernel allows (kubelet's message).</exception>
    public string Nodename(bool setHostnameAsFqdn)
    {
        if (!setHostnameAsFqdn || Domain.Length == 0)
        {
            return Hostname;
        }

        var fqdn = $"{Hostname}.{Domain}";
        return fqdn.Length <= MaxNodenameLength
            ? fqdn
            : throw new ContainerConfigException(
                $"failed to construct FQDN from pod hostname and cluster domain, FQDN {fqdn} is too long ({MaxNodenameLength} characters is the max, {fqdn.Length} characters requested)");
    }
}
