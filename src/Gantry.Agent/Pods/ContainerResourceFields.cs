using System.Globalization;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The downward API's container resources (<c>resourceFieldRef</c>), as the kubelet's <c>containerResourceRuntimeValue</c>
/// gives them: a limit the container does not set (or sets to zero) is the node's allocatable, since that is all it
/// may use; a request it does not set is 0. Values are rounded up to whole divisors.
/// </summary>
public static class ContainerResourceFields
{
    /// <exception cref="ContainerConfigException">The resource is not one the downward API offers, or no container has the name.</exception>
    public static string Value(V1ResourceFieldSelector selector, V1Pod pod, V1Container container, IDictionary<string, ResourceQuantity> allocatable)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(pod);
        var (resources, defaulted) = string.IsNullOrEmpty(selector.ContainerName) ? (container.Resources, true) : Named(pod, selector.ContainerName);
        var divisor = selector.Divisor is { } d && d.ToDecimal() != 0 ? d : new ResourceQuantity("1");
        var (kind, name) = (selector.Resource ?? "").Split('.', 2) is [var k and ("limits" or "requests"), var n and ("cpu" or "memory" or "ephemeral-storage")]
            ? (k, n)
            : throw new ContainerConfigException($"unsupported container resource : {selector.Resource}");
        var quantity = kind == "limits"
            ? Limit(resources?.Limits, name, defaulted ? allocatable : null)
            : resources?.Requests is { } requests && requests.TryGetValue(name, out var request) ? request.ToDecimal() : 0;

        // As resource.ExtractContainerResourceValue: cpu in millicores, the others in units, each rounded up first.
        var value = name == "cpu"
            ? Math.Ceiling(Math.Ceiling(quantity * 1000) / Math.Ceiling(divisor.ToDecimal() * 1000))
            : Math.Ceiling(Math.Ceiling(quantity) / Math.Ceiling(divisor.ToDecimal()));
        return ((long)value).ToString(CultureInfo.InvariantCulture);
    }

    private static decimal Limit(IDictionary<string, ResourceQuantity>? limits, string name, IDictionary<string, ResourceQuantity>? allocatable)
    {
        var limit = limits is not null && limits.TryGetValue(name, out var set) ? set.ToDecimal() : 0;
        return limit == 0 && allocatable is not null && allocatable.TryGetValue(name, out var node) ? node.ToDecimal() : limit;
    }

    /// <summary>
    /// The named container's resources, and whether its limits are defaulted: the kubelet defaults those of the pod's
    /// app containers only, so an init container named here reads its limits as written.
    /// </summary>
    private static (V1ResourceRequirements? Resources, bool Defaulted) Named(V1Pod pod, string name)
    {
        if (pod.Spec.Containers?.FirstOrDefault(c => c.Name == name) is { } app)
        {
            return (app.Resources, true);
        }

        return pod.Spec.InitContainers?.FirstOrDefault(c => c.Name == name) is { } init
            ? (init.Resources, false)
            : throw new ContainerConfigException($"container {name} not found");
    }
}
