using System.Text.Json.Nodes;
using Gantry.Agent.Cgroups;
using Gantry.Agent.Images;

namespace Gantry.Agent.Runtimes.Oci;

/// <summary>
/// Writes a container's OCI runtime config (config.json) for runc: the process from the image and
/// the pod spec, run as the securityContext's user (<see cref="ContainerUser"/>), the rootfs, the default mounts plus
/// the pod's, namespaces (network: the pod's, or the host's for hostNetwork, which keeps the host's UTS namespace and
/// hostname too), the cgroup path below the pod cgroup and the limits, which runc
/// writes into the cgroup before the container's process is started. Pure.
/// </summary>
internal static class OciConfigBuilder
{
    public const string OciVersion = "1.0.2";

    /// <exception cref="Pods.ContainerConfigException">runAsNonRoot, and the image's user is root or a name.</exception>
    /// <exception cref="InvalidOperationException">The image's user or group is a name <paramref name="users"/> does not define.</exception>
    /// <param name="users">The image's /etc/passwd and /etc/group, from the prepared root filesystem.</param>
    /// <param name="pidNamespacePath">The PID namespace to join (an ephemeral container's target's); null for one of its own.</param>
    public static JsonObject Build(
        PodSandboxInfo pod, ContainerSpec container, ImageConfig image, UserDatabase users, string cgroupsPath, string? pidNamespacePath = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(image);
        var config = new JsonObject
        {
            ["ociVersion"] = OciVersion,
            ["process"] = Process(pod, container, image, users),
            ["root"] = new JsonObject { ["path"] = "rootfs", ["readonly"] = false },
            ["mounts"] = Mounts(container),
            ["linux"] = Linux(pod, container, cgroupsPath, pidNamespacePath),
        };

        // runc refuses a hostname without a UTS namespace of the container's own.
        if (ContainerHostname.OwnNamespace(pod, container) is { } hostname)
        {
            config["hostname"] = hostname;
        }

        return config;
    }

    private static JsonObject Process(PodSandboxInfo pod, ContainerSpec container, ImageConfig image, UserDatabase users)
    {
        // containerd's CRI sets TERM for a terminal (oci.WithTTY) before the image's environment and the container's, which may override it.
        var env = ContainerEnvironment.Merge(
            [.. container.Tty ? ["TERM=xterm"] : (string[])[], .. image.Env], [.. container.Env, .. ContainerHostname.EnvUnlessSet(pod, container)]);
        var capabilities = Strings(OciDefaults.Capabilities);
        var user = container.User.Resolve(image.User, users, pod, container.Name);
        return new JsonObject
        {
            ["terminal"] = container.Tty,
            ["user"] = new JsonObject
            {
                ["uid"] = user.Uid,
                ["gid"] = user.Gid,
                ["additionalGids"] = new JsonArray([.. user.AdditionalGids.Select(g => (JsonNode?)JsonValue.Create(g))]),
            },
            ["args"] = Strings(ContainerProcessArgs.Resolve(image, container)),
            ["env"] = Strings(env),
            ["cwd"] = container.WorkingDir ?? image.WorkingDir ?? "/",
            ["capabilities"] = new JsonObject
            {
                ["bounding"] = capabilities.DeepClone(),
                ["effective"] = capabilities.DeepClone(),
                ["permitted"] = capabilities,
            },
            ["noNewPrivileges"] = true,
        };
    }

    private static JsonArray Mounts(ContainerSpec container)
    {
        var mounts = new JsonArray();
        foreach (var (destination, type, source, options) in OciDefaults.Mounts)
        {
            mounts.Add(Mount(destination, type, source, options));
        }

        foreach (var mount in container.Mounts)
        {
            mounts.Add(Mount(mount.ContainerPath, "bind", mount.HostPath, mount.ReadOnly ? ["rbind", "rprivate", "ro"] : ["rbind", "rprivate"]));
        }

        return mounts;
    }

    private static JsonObject Mount(string destination, string type, string source, IEnumerable<string> options) =>
        new() { ["destination"] = destination, ["type"] = type, ["source"] = source, ["options"] = Strings(options) };

    private static JsonObject Linux(PodSandboxInfo pod, ContainerSpec container, string cgroupsPath, string? pidNamespacePath)
    {
        var pid = new JsonObject { ["type"] = "pid" };
        if (pidNamespacePath is not null)
        {
            pid["path"] = pidNamespacePath;
        }

        var namespaces = new JsonArray(pid, new JsonObject { ["type"] = "ipc" });
        if (!container.HostNetwork)
        {
            namespaces.Add(new JsonObject { ["type"] = "uts" });
        }

        namespaces.Add(new JsonObject { ["type"] = "mount" });
        if (pod.NetworkNamespacePath is { } netns)
        {
            namespaces.Add(new JsonObject { ["type"] = "network", ["path"] = netns });
        }

        return new JsonObject
        {
            ["namespaces"] = namespaces,
            ["cgroupsPath"] = cgroupsPath,
            ["resources"] = Resources(container.Limits),
            ["maskedPaths"] = Strings(OciDefaults.MaskedPaths),
            ["readonlyPaths"] = Strings(OciDefaults.ReadonlyPaths),
        };
    }

    /// <summary>
    /// The OCI resources runc enforces. Memory "swap" is memory+swap, so setting it equal to the
    /// limit leaves no swap; runc maps shares to cpu.weight itself on cgroup v2.
    /// </summary>
    private static JsonObject Resources(CgroupLimits limits)
    {
        var cpu = new JsonObject
        {
            ["shares"] = CgroupValues.CpuShares(limits.CpuRequestMillicores),
            ["period"] = CgroupValues.CpuPeriodMicroseconds,
        };
        if (CgroupValues.CpuQuotaMicroseconds(limits.CpuLimitMillicores) is { } quota)
        {
            cpu["quota"] = quota;
        }

        var resources = new JsonObject
        {
            // Deny every device but the standard set runc always allows (null, zero, tty, ...).
            ["devices"] = new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" }),
            ["cpu"] = cpu,
        };
        if (limits.MemoryLimitBytes is { } memory)
        {
            resources["memory"] = new JsonObject { ["limit"] = memory, ["swap"] = memory };
        }

        if (limits.PidsLimit is { } pids)
        {
            resources["pids"] = new JsonObject { ["limit"] = pids };
        }

        return resources;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
