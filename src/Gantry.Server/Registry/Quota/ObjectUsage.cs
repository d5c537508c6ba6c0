using Gantry.Core.Resources;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry.Quota;

/// <summary>
/// What one object charges to quota, by kind (kube's quota evaluators): pods their compute (<see cref="PodUsage"/>);
/// every other kind one <c>count/PLURAL[.GROUP]</c>, the core kinds kube counts by their bare plural too
/// (<c>services</c>, <c>configmaps</c>, ...), Services their node ports and load balancers, and claims their storage
/// (<see cref="ClaimUsage"/>).
/// </summary>
public static class ObjectUsage
{
    /// <summary>The core kinds whose object count quota also knows by the bare plural (kube's legacy object count names).</summary>
    private static readonly HashSet<string> LegacyCounted =
        new(["services", "configmaps", "secrets", "replicationcontrollers", "resourcequotas", "persistentvolumeclaims"], StringComparer.Ordinal);

    /// <summary><c>count/pods</c>, <c>count/deployments.apps</c>: the object count name of a type.</summary>
    public static string CountName(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Group.Length == 0 ? $"count/{type.Plural}" : $"count/{type.Plural}.{type.Group}";
    }

    /// <summary>Whether a quota holding <paramref name="name"/> charges objects of <paramref name="type"/>.</summary>
    public static bool Tracks(ResourceType type, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Group.Length == 0 && type.Plural == "pods")
        {
            return PodUsage.Tracks(name);
        }

        return name == CountName(type)
            || (type.Group.Length == 0 && LegacyCounted.Contains(type.Plural) && name == type.Plural)
            || (type.Group.Length == 0 && type.Plural == "services" && name is "services.nodeports" or "services.loadbalancers")
            || (type.Group.Length == 0 && type.Plural == "persistentvolumeclaims" && ClaimUsage.Tracks(name));
    }

    public static Dictionary<string, decimal> Of(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (obj is V1Pod pod)
        {
            return PodUsage.Of(pod, now);
        }

        var usage = ResourceAmounts.Empty();
        usage[CountName(type)] = 1;
        if (type.Group.Length == 0 && LegacyCounted.Contains(type.Plural))
        {
            usage[type.Plural] = 1;
        }

        if (obj is V1Service service)
        {
            // A load balancer that allocates no node ports holds those its ports name.
            var spec = service.Spec ?? new V1ServiceSpec();
            var ports = spec.Ports ?? [];
            usage["services.nodeports"] = spec.Type switch
            {
                "NodePort" => ports.Count,
                "LoadBalancer" when spec.AllocateLoadBalancerNodePorts == false => ports.Count(p => p.NodePort is > 0),
                "LoadBalancer" => ports.Count,
                _ => 0,
            };
            usage["services.loadbalancers"] = spec.Type is "LoadBalancer" ? 1 : 0;
        }

        if (obj is V1PersistentVolumeClaim claim)
        {
            ClaimUsage.Add(claim, usage);
        }

        return usage;
    }
}
