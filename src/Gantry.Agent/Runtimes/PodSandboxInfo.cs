using Gantry.Agent.Cgroups;

namespace Gantry.Agent.Runtimes;

/// <summary>What a runtime needs to know about the pod a container belongs to.</summary>
public sealed record PodSandboxInfo
{
    /// <summary>The pod's metadata.uid: names its cgroup, log directory and the containers' checkpoints.</summary>
    public required string Uid { get; init; }

    public required string Name { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The pod-level limits (see <see cref="CgroupLimits.ForPod"/>), enforced on the pod cgroup
    /// every container cgroup lives under.</summary>
    public CgroupLimits Limits { get; init; } = CgroupLimits.None;

    /// <summary>The pod's network namespace (/var/run/netns/&lt;name&gt; or /proc/&lt;pid&gt;/ns/net), set up by
    /// the pod network; null runs the containers in the host's network namespace (hostNetwork).</summary>
    public string? NetworkNamespacePath { get; init; }
}
