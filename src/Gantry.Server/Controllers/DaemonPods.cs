using System.Globalization;
using Gantry.Server.Kernel;
using Gantry.Server.Scheduling;
using Gantry.Server.Scheduling.Plugins;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// What kube's <c>daemon/util</c> and <c>NodeShouldRunDaemonPod</c> decide about a DaemonSet's pods: which nodes
/// they belong on, the tolerations every daemon pod gets, and how a pod is pinned to its node.
/// </summary>
public static class DaemonPods
{
    /// <summary>The label with the DaemonSet's template generation (<c>extensions.DaemonSetTemplateGenerationKey</c>).</summary>
    public const string TemplateGenerationLabel = "pod-template-generation";

    /// <summary>The label with the hash of the template the pod was made from (<c>apps.DefaultDaemonSetUniqueLabelKey</c>).</summary>
    public const string RevisionHashLabel = "controller-revision-hash";

    /// <summary>
    /// Whether a daemon pod should be started on the node, and whether one already there may stay: a node the
    /// template's node name, selector or required affinity rule out gets none; an untolerated NoSchedule or
    /// NoExecute taint keeps new pods off, but only an untolerated NoExecute taint evicts a running one.
    /// </summary>
    public static (bool ShouldRun, bool ShouldContinueRunning) ShouldRun(V1Node node, V1DaemonSet ds)
    {
        var spec = ds.Spec?.Template?.Spec ?? new V1PodSpec();
        if (!string.IsNullOrEmpty(spec.NodeName) && spec.NodeName != node.Name())
        {
            return (false, false);
        }

        if (!FitsNodeAffinity(spec, node))
        {
            return (false, false);
        }

        var tolerations = WithDefaultTolerations(spec).Tolerations;
        var taints = node.Spec?.Taints ?? [];
        if (taints.Any(t => t.Effect is "NoSchedule" or "NoExecute" && !Tolerations.Tolerate(tolerations, t)))
        {
            return (false, !taints.Any(t => t.Effect == "NoExecute" && !Tolerations.Tolerate(tolerations, t)));
        }

        return (true, true);
    }

    /// <summary>
    /// The pod the DaemonSet makes (<c>CreatePodTemplate</c>): its template with the daemon tolerations, labelled with the
    /// template generation and hash.
    /// </summary>
    public static V1PodTemplateSpec Template(V1PodTemplateSpec template, long? generation, string hash)
    {
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
        copy.Metadata ??= new V1ObjectMeta();
        copy.Spec = WithDefaultTolerations(copy.Spec ?? new V1PodSpec());
        var labels = copy.Metadata.Labels ??= new Dictionary<string, string>();
        labels[TemplateGenerationLabel] = generation?.ToString(CultureInfo.InvariantCulture) ?? "";
        labels[RevisionHashLabel] = hash;
        return copy;
    }

    /// <summary>
    /// Pins a pod to <paramref name="nodeName"/> with a required <c>metadata.name</c> match the scheduler honours; it
    /// replaces every required term, as <c>ReplaceDaemonSetPodNodeNameNodeAffinity</c> does (the controller has
    /// already checked the template's own terms).
    /// </summary>
    public static V1Affinity PinToNode(V1Affinity? affinity, string nodeName)
    {
        var term = new V1NodeSelectorTerm
        {
            MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [nodeName] }],
        };
        affinity ??= new V1Affinity();
        var nodeAffinity = affinity.NodeAffinity ??= new V1NodeAffinity();
        var required = nodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution ??= new V1NodeSelector();
        required.NodeSelectorTerms = [term];
        return affinity;
    }

    /// <summary>The node a daemon pod is on, or is pinned to before it is scheduled (<c>GetTargetNodeName</c>); null when neither.</summary>
    public static string? TargetNodeName(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return pod.Spec.NodeName;
        }

        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [];
        foreach (var term in terms)
        {
            foreach (var field in term.MatchFields ?? [])
            {
                if (field.Key == "metadata.name" && field.OperatorProperty == "In")
                {
                    return field.Values is [var name] ? name : null;
                }
            }
        }

        return null;
    }

    /// <summary>Made from the current template: its hash or its template generation matches (<c>IsPodUpdated</c>).</summary>
    public static bool IsUpdated(V1Pod pod, string hash, long? generation)
    {
        string? Label(string key) => pod.Metadata.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;
        var templateMatches = generation is { } g && Label(TemplateGenerationLabel) == g.ToString(CultureInfo.InvariantCulture);
        var hashMatches = hash.Length > 0 && Label(RevisionHashLabel) == hash;
        return hashMatches || templateMatches;
    }

    /// <summary>
    /// The spec with kube's daemon tolerations (<c>AddOrUpdateDaemonPodTolerations</c>): node problems the node controller
    /// taints for must not evict or keep off a daemon, which is often what repairs them.
    /// </summary>
    public static V1PodSpec WithDefaultTolerations(V1PodSpec spec)
    {
        var tolerations = spec.Tolerations?.ToList() ?? [];
        Upsert(tolerations, "node.kubernetes.io/not-ready", "NoExecute");
        Upsert(tolerations, "node.kubernetes.io/unreachable", "NoExecute");
        Upsert(tolerations, "node.kubernetes.io/disk-pressure", "NoSchedule");
        Upsert(tolerations, "node.kubernetes.io/memory-pressure", "NoSchedule");
        Upsert(tolerations, "node.kubernetes.io/pid-pressure", "NoSchedule");
        Upsert(tolerations, "node.kubernetes.io/unschedulable", "NoSchedule");
        if (spec.HostNetwork == true)
        {
            Upsert(tolerations, "node.kubernetes.io/network-unavailable", "NoSchedule");
        }

        var copy = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(spec));
        copy.Tolerations = tolerations;
        return copy;
    }

    /// <summary>
    /// <c>AddOrUpdateTolerationInPodSpec</c>: a toleration with the same key, operator, value and effect is replaced
    /// (dropping its tolerationSeconds); otherwise the toleration is appended.
    /// </summary>
    private static void Upsert(List<V1Toleration> tolerations, string key, string effect)
    {
        var toleration = new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = effect };
        var index = tolerations.FindIndex(t => t.Key == key && t.OperatorProperty == "Exists" && string.IsNullOrEmpty(t.Value) && t.Effect == effect);
        if (index >= 0)
        {
            tolerations[index] = toleration;
        }
        else
        {
            tolerations.Add(toleration);
        }
    }

    /// <summary>The template's nodeSelector and required node affinity (<c>GetRequiredNodeAffinity(pod).Match(node)</c>).</summary>
    private static bool FitsNodeAffinity(V1PodSpec spec, V1Node node)
    {
        var info = new NodeInfo(node, ResourceVector.Zero, ResourceVector.Zero, []);
        foreach (var (key, wanted) in spec.NodeSelector ?? new Dictionary<string, string>())
        {
            if (!info.Labels.TryGetValue(key, out var value) || value != wanted)
            {
                return false;
            }
        }

        var required = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        return required is null || required.NodeSelectorTerms.Any(term => NodeAffinity.Matches(term, info));
    }
}
