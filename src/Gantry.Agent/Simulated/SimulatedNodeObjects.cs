using System.Globalization;
using Gantry.Agent.Node;
using k8s.Models;

namespace Gantry.Agent.Simulated;

/// <summary>
/// The Node, its status and its Lease as a simulated node publishes them: the same shape the real
/// agent's <see cref="NodeHeartbeat"/> posts (capacity = allocatable, standard labels, the
/// kubelet's condition reasons, nodeInfo), with made-up machine facts that say "simulated".
/// </summary>
internal static class SimulatedNodeObjects
{
    public const string SimulatedAnnotation = "gantry.io/simulated-node";
    private const int LeaseDurationSeconds = 40;

    public static V1Node Node(SimulatedNode node, SimulatedFleetOptions options, DateTime now)
    {
        var labels = new Dictionary<string, string>(options.Labels)
        {
            ["kubernetes.io/hostname"] = node.Name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = "amd64",
        };
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = node.Name,
                Labels = labels,
                Annotations = new Dictionary<string, string> { [SimulatedAnnotation] = "true" },
            },
            Spec = new V1NodeSpec { PodCIDR = node.PodCidr, PodCIDRs = [node.PodCidr], ProviderID = "simulated://" + node.Name },
            Status = Status(node, options, now),
        };
    }

    public static V1NodeStatus Status(SimulatedNode node, SimulatedFleetOptions options, DateTime now)
    {
        var capacity = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(options.Cpu),
            ["memory"] = new(options.Memory),
            ["ephemeral-storage"] = new("100Gi"),
            ["pods"] = new(options.MaxPods.ToString(CultureInfo.InvariantCulture)),
        };
        var id = node.Index.ToString("x32", CultureInfo.InvariantCulture);
        return new V1NodeStatus
        {
            Capacity = capacity,
            Allocatable = capacity,
            Addresses =
            [
                new V1NodeAddress { Type = "InternalIP", Address = node.HostIp },
                new V1NodeAddress { Type = "Hostname", Address = node.Name },
            ],
            Conditions = Conditions(now),
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = "amd64",
                BootID = id,
                MachineID = id,
                SystemUUID = id,
                KernelVersion = "simulated",
                OsImage = "Gantry simulated node (scale tests only)",
                OperatingSystem = "linux",
                ContainerRuntimeVersion = "simulated://" + NodeFacts.Version.TrimStart('v'),
                KubeletVersion = NodeFacts.Version,
                KubeProxyVersion = NodeFacts.Version,
            },
        };
    }

    /// <summary>A simulated node is always healthy: Ready, and no pressure of any kind, in the kubelet's words.</summary>
    public static List<V1NodeCondition> Conditions(DateTime now) =>
    [
        Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
        Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
        Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
        Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
    ];

    public static V1Lease Lease(SimulatedNode node, DateTime now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta { Name = node.Name, NamespaceProperty = NodeHeartbeat.LeaseNamespace },
        Spec = LeaseSpec(node, now),
    };

    public static V1LeaseSpec LeaseSpec(SimulatedNode node, DateTime now) =>
        new() { HolderIdentity = node.Name, LeaseDurationSeconds = LeaseDurationSeconds, RenewTime = now };

    /// <summary>
    /// lastTransitionTime is the heartbeat too: a simulated node's conditions only change when it
    /// comes back from a crash, and then they did transition (from Unknown).
    /// </summary>
    private static V1NodeCondition Condition(string type, string status, string reason, string message, DateTime now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastHeartbeatTime = now,
        LastTransitionTime = now,
    };
}
