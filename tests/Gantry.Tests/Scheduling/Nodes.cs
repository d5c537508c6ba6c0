using Gantry.Server.Kernel;
using Gantry.Server.Scheduling;
using k8s.Models;

namespace Gantry.Tests.Scheduling;

/// <summary>Nodes and pods as scheduling tests need them.</summary>
internal static class Nodes
{
    public static NodeInfo Node(string name, double cpus = 4, long memMi = 4096, IDictionary<string, string>? labels = null,
        IList<V1Taint>? taints = null, bool unschedulable = false, double usedCpus = 0, IReadOnlyList<V1Pod>? pods = null)
    {
        var allocatable = Tests.Kernel.Resources.Of(cpus, memMi);
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string>() },
            Spec = new V1NodeSpec { Taints = taints, Unschedulable = unschedulable },
        };
        return new NodeInfo(node, allocatable, allocatable.Subtract(Tests.Kernel.Resources.Pod(usedCpus, 0) with { Pods = 0 }), pods ?? []);
    }

    public static PodInfo Pod(string cpu = "100m", string memory = "64Mi", Action<V1PodSpec>? configure = null)
    {
        var spec = new V1PodSpec
        {
            Containers = [new V1Container
            {
                Name = "c",
                Image = "busybox",
                Resources = new V1ResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
                },
            }],
        };
        configure?.Invoke(spec);
        return PodInfo.Of(new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default", Uid = "u" }, Spec = spec });
    }
}
