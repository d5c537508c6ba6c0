using System.Net;
using Gantry.Agent.Cgroups;
using Gantry.Agent.Runtimes;
using k8s;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// Turns a pod's container into what a runtime runs: environment resolved (<see cref="PodEnvironment"/>), volume
/// mounts as host paths (<see cref="PodVolumes"/>), resources in kernel units, and the pod's resolv.conf (<see cref="PodDns"/>) mounted read-only at /etc/resolv.conf, as the
/// kubelet does, unless the container mounts something there itself.
/// The pod's hosts file (<see cref="PodHostsFile"/>) is mounted at /etc/hosts the same way once the pod has an IP; the
/// user comes from the effective securityContext (<see cref="ContainerUsers"/>) and the hostname from
/// <see cref="PodHostname"/>, or is the node's for a host-network pod. An OCI container's termination message file
/// (<see cref="TerminationMessageFiles"/>) is mounted read-write at its terminationMessagePath; a process pod has
/// none, its mounts needing a host path to cover.
/// </summary>
public sealed class ContainerSpecs(PodEnvironment environment, PodVolumes volumes, PodDns? dns = null)
{
    private const string ResolvConfPath = "/etc/resolv.conf";

    private const string HostsPath = "/etc/hosts";

    private const long DefaultPidsLimit = 4096;

    public async Task<ContainerSpec> BuildAsync(
        V1Pod pod, V1Container container, string? podIp, string? hostIp, string? terminationMessageFile, CancellationToken cancellationToken)
    {
        var env = await environment.ResolveAsync(pod, container, podIp, hostIp, cancellationToken).ConfigureAwait(false);
        var mounts = await volumes.MountsAsync(pod, container, cancellationToken).ConfigureAwait(false);

        // A process pod's mounts land on the host's paths: with no host /etc/resolv.conf there is nothing to cover.
        if (!mounts.Any(m => m.ContainerPath.TrimEnd('/') == ResolvConfPath) && (pod.Spec.RuntimeClassName != "process" || File.Exists(ResolvConfPath)))
        {
            mounts.Add(new ContainerMount(await WriteResolvConfAsync(pod, cancellationToken).ConfigureAwait(false), ResolvConfPath, ReadOnly: true));
        }

        var hostname = PodHostname.For(pod, (dns ?? PodDns.Default).ClusterDomain);

        // kubelet mounts it read-write, and only once the pod has an IP to write into it.
        if (podIp is { Length: > 0 } && !mounts.Any(m => m.ContainerPath.TrimEnd('/') == HostsPath) && (pod.Spec.RuntimeClassName != "process" || File.Exists(HostsPath)))
        {
            mounts.Add(new ContainerMount(await WriteHostsFileAsync(pod, hostname, podIp, cancellationToken).ConfigureAwait(false), HostsPath, ReadOnly: false));
        }

        if (terminationMessageFile is not null && TerminationMessageFiles.ContainerPath(container) is { } messagePath)
        {
            mounts.Add(new ContainerMount(terminationMessageFile, messagePath, ReadOnly: false));
        }

        return new ContainerSpec
        {
            Name = container.Name,
            Image = container.Image,
            ImagePullPolicy = container.ImagePullPolicy,
            Command = EnvExpansion.ExpandAll(container.Command, env),
            Args = EnvExpansion.ExpandAll(container.Args, env),
            Env = env,
            WorkingDir = container.WorkingDir,
            Mounts = mounts,
            Stdin = container.Stdin == true,
            // containerd closes the stdin of a stdinOnce container when its first attach ends, but not of a tty one: the
            // attach only detaches, so that `kubectl run -it` whose own input ends leaves the shell to finish.
            StdinOnce = container.StdinOnce == true && container.Tty != true,
            Tty = container.Tty == true,
            Limits = LimitsOf(container),
            User = ContainerUsers.Of(pod, container),
            Hostname = pod.Spec.HostNetwork == true ? Dns.GetHostName() : hostname.Nodename(pod.Spec.SetHostnameAsFQDN == true),
            HostNetwork = pod.Spec.HostNetwork == true,
        };
    }

    public static CgroupLimits LimitsOf(V1Container container)
    {
        var requests = container.Resources?.Requests;
        var limits = container.Resources?.Limits;
        return new CgroupLimits(
            CpuRequestMillicores: Millicores(requests, "cpu"),
            CpuLimitMillicores: Millicores(limits, "cpu"),
            MemoryLimitBytes: limits is not null && limits.TryGetValue("memory", out var memory) ? memory.ToInt64() : null,
            PidsLimit: DefaultPidsLimit);
    }

    private static long? Millicores(IDictionary<string, ResourceQuantity>? resources, string name) =>
        resources is not null && resources.TryGetValue(name, out var q) ? (long)Math.Ceiling(q.ToDecimal() * 1000) : null;

    /// <summary>Writes the pod's resolv.conf beside its volumes (a volume name is a DNS label, so it cannot be called resolv.conf).</summary>
    private async Task<string> WriteResolvConfAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var path = Path.Combine(volumes.PodDirectory(pod), "resolv.conf");
        await File.WriteAllTextAsync(path, (dns ?? PodDns.Default).For(pod).Render(), cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Writes the pod's hosts file beside its volumes, under kubelet's name for it.</summary>
    private async Task<string> WriteHostsFileAsync(V1Pod pod, PodHostname hostname, string podIp, CancellationToken cancellationToken)
    {
        var path = Path.Combine(volumes.PodDirectory(pod), "etc-hosts");
        await File.WriteAllTextAsync(path, PodHostsFile.Render(pod, hostname, podIp, () => File.ReadAllText(HostsPath)), cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>The empty file a new instance of the container will write its termination message to; null when it gets none.</summary>
    public string? CreateTerminationMessageFile(V1Pod pod, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec.RuntimeClassName == "process" || TerminationMessageFiles.ContainerPath(container) is null
            ? null
            : TerminationMessageFiles.Create(volumes.PodDirectory(pod), container.Name);
    }

    /// <summary>Where the instance's termination message is, if it has one.</summary>
    public string TerminationMessageFile(V1Pod pod, ContainerHandle handle) => TerminationMessageFiles.Of(volumes.PodDirectory(pod), handle);

    public void RemoveVolumes(string podUid) => volumes.Remove(podUid);

    /// <inheritdoc cref="PodVolumes.RefreshAsync"/>
    public Task<bool> RefreshVolumesAsync(V1Pod pod, CancellationToken cancellationToken) => volumes.RefreshAsync(pod, cancellationToken);
}
