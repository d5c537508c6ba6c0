namespace Gantry.Agent.Runtimes;

/// <summary>
/// The hostname a container sees. A host-network pod shares the node's UTS namespace, and so its hostname, as
/// containerd makes it; any other container gets a UTS namespace of its own named after the pod.
/// </summary>
internal static class ContainerHostname
{
    /// <summary>The name to give the container's own UTS namespace; null: it keeps the node's.</summary>
    public static string? OwnNamespace(PodSandboxInfo pod, ContainerSpec container) =>
        container.HostNetwork ? null : Of(pod, container);

    /// <summary>Docker and containerd set HOSTNAME (the node's for a host-network pod); images and scripts rely on it.</summary>
    public static IEnumerable<EnvVar> EnvUnlessSet(PodSandboxInfo pod, ContainerSpec container) =>
        container.Env.Any(v => v.Name == "HOSTNAME") ? [] : [new EnvVar("HOSTNAME", Of(pod, container))];

    private static string Of(PodSandboxInfo pod, ContainerSpec container) => container.Hostname ?? pod.Name;
}
