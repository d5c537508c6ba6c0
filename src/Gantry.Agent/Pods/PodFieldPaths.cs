using k8s;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>The downward API's pod fields (<c>fieldRef.fieldPath</c>), as environment variables and volumes read them.</summary>
public static class PodFieldPaths
{
    /// <exception cref="ContainerConfigException">The path is not one the downward API offers.</exception>
    public static string Value(V1Pod pod, string path, string? podIp, string? hostIp)
    {
        if (path.StartsWith("metadata.labels['", StringComparison.Ordinal))
        {
            return pod.Metadata.Labels is { } labels && labels.TryGetValue(path[17..^2], out var label) ? label : "";
        }

        if (path.StartsWith("metadata.annotations['", StringComparison.Ordinal))
        {
            return pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(path[22..^2], out var annotation) ? annotation : "";
        }

        return path switch
        {
            "metadata.name" => pod.Name(),
            "metadata.namespace" => pod.Namespace(),
            "metadata.uid" => pod.Uid(),
            "spec.nodeName" => pod.Spec.NodeName ?? "",
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? "",
            "status.podIP" => podIp ?? "",
            "status.hostIP" => hostIp ?? "",

            // The lists, comma-separated, as the kubelet joins them; a Gantry pod and node have one address each.
            "status.podIPs" => podIp ?? "",
            "status.hostIPs" => hostIp ?? "",
            _ => throw new ContainerConfigException($"unsupported fieldRef path {path}"),
        };
    }
}
