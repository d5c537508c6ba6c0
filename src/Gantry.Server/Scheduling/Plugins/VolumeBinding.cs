using Gantry.Core.Volumes;
using k8s.Models;

namespace Gantry.Server.Scheduling.Plugins;

/// <summary>
/// kube-scheduler's VolumeBinding plugin. A pod's claims must exist and not be on their way out; an unbound claim of a
/// class that binds at once must be bound before the pod can go anywhere; a bound claim's volume must suit the node
/// (its node affinity); an unbound claim of a WaitForFirstConsumer class needs, on the node, an Available volume to
/// take or a provisioner that can make one there. <see cref="Plan"/> says which, for the node chosen.
/// </summary>
public sealed class VolumeBinding(IStorageView storage) : IPreFilterPlugin, IFilterPlugin
{
    public const string BindConflict = "node(s) didn't find available persistent volumes to bind";
    public const string NodeConflict = "node(s) had volume node affinity conflict";
    public const string VolumeMissing = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
    public const string UnboundImmediate = "pod has unbound immediate PersistentVolumeClaims";

    /// <summary>The annotation by which the scheduler asks a claim's provisioner for a volume on a node.</summary>
    public const string SelectedNode = "volume.kubernetes.io/selected-node";

    /// <summary>The class provisioner of statically made local volumes only, which can provision nothing.</summary>
    public const string NoProvisioner = "kubernetes.io/no-provisioner";

    private static readonly ClaimBinding[] NothingToBind = [];

    public string Name => nameof(VolumeBinding);

    public void PreFilter(PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(pod);
        pod.SetState(Name, Sort(pod));
    }

    public bool SkipsFilter(PodInfo pod) => pod.State<PodVolumeClaims>(Name).IsEmpty;

    public bool EvictionMayResolve(PodInfo pod, NodeInfo node, IReadOnlyList<string> reasons) => false;

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var claims = pod.State<PodVolumeClaims>(Name);
        List<string>? reasons = null;
        foreach (var claim in claims.Bound)
        {
            if (storage.Volume(claim.Spec.VolumeName) is not { } volume)
            {
                return [VolumeMissing];
            }

            if (!SuitsNode(volume, node))
            {
                reasons = [NodeConflict];
                break;
            }
        }

        if (claims.Delayed.Count > 0 && Plan(claims, node) is null)
        {
            (reasons ??= []).Add(BindConflict);
        }

        return reasons ?? [];
    }

    /// <summary>
    /// For the node chosen, what each unbound claim of the pod asks (kube's FindPodVolumes, then AssumePodVolumes):
    /// empty for a pod with none, null when the node cannot serve them.
    /// </summary>
    public IReadOnlyList<ClaimBinding>? Plan(PodInfo pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return Plan(pod.State<PodVolumeClaims>(Name), node);
    }

    private IReadOnlyList<ClaimBinding>? Plan(PodVolumeClaims claims, NodeInfo node)
    {
        if (claims.Delayed.Count == 0)
        {
            // Most pods: nothing to plan, and nothing allocated for it on every placement.
            return NothingToBind;
        }

        var plan = new List<ClaimBinding>(claims.Delayed.Count);
        foreach (var claim in claims.Delayed)
        {
            var claimKey = $"{claim.Namespace()}/{claim.Name()}";
            if (storage.AssumedFor(claimKey) is { } assumed)
            {
                // Another pod sharing the claim is binding it: this one goes where that one's volume is.
                if (assumed.Node != node.Name)
                {
                    return null;
                }

                plan.Add(assumed);
                continue;
            }

            if (claim.Metadata.Annotations?.TryGetValue(SelectedNode, out var selected) == true)
            {
                // A volume is already being provisioned for the claim, on this node or on another.
                if (selected != node.Name)
                {
                    return null;
                }

                plan.Add(new ClaimBinding(claim, node.Name, null));
                continue;
            }

            var volume = PersistentVolumeMatch.Find(
                claim, storage.Volumes(), v => SuitsNode(v, node), delayBinding: true,
                excluded: v => plan.Exists(b => b.Volume?.Name() == v.Name()) || storage.PromisedTo(v.Name()) is { } promised && promised != claimKey);
            if (volume is null && !CanProvision(claim, node))
            {
                return null;
            }

            plan.Add(new ClaimBinding(claim, node.Name, volume));
        }

        return plan;
    }

    private PodVolumeClaims Sort(PodInfo pod)
    {
        var volumes = pod.Pod.Spec.Volumes;
        if (volumes is null || !volumes.Any(v => v.PersistentVolumeClaim is not null || v.Ephemeral is not null))
        {
            return PodVolumeClaims.None;
        }

        var bound = new List<V1PersistentVolumeClaim>();
        var delayed = new List<V1PersistentVolumeClaim>();
        var immediate = false;
        foreach (var volume in volumes)
        {
            if (ClaimUse.ClaimNameOf(pod.Pod, volume) is not { } name)
            {
                continue;
            }

            if (storage.Claim(pod.Pod.Namespace(), name) is not { } claim)
            {
                pod.RejectAtPreFilter(volume.Ephemeral is not null
                    ? $"waiting for ephemeral volume controller to create the persistentvolumeclaim \"{name}\""
                    : $"persistentvolumeclaim \"{name}\" not found");
                return PodVolumeClaims.None;
            }

            if (volume.Ephemeral is not null && !ClaimUse.IsForPod(pod.Pod, claim))
            {
                pod.RejectAtPreFilter($"PVC {claim.Namespace()}/{name} was not created for pod {pod.Pod.Namespace()}/{pod.Pod.Name()} (pod is not owner)");
                return PodVolumeClaims.None;
            }

            if (claim.Metadata.DeletionTimestamp is not null)
            {
                pod.RejectAtPreFilter($"persistentvolumeclaim \"{name}\" is being deleted");
                return PodVolumeClaims.None;
            }

            if (IsFullyBound(claim))
            {
                bound.Add(claim);
                continue;
            }

            // kube's IsDelayBindingMode: a claim of no class, or of a class that does not exist, binds at once.
            var className = PersistentVolumeMatch.ClassOf(claim);
            var storageClass = className.Length > 0 ? storage.Class(className) : null;
            if (storageClass?.VolumeBindingMode == "WaitForFirstConsumer" && string.IsNullOrEmpty(claim.Spec.VolumeName))
            {
                delayed.Add(claim);
            }
            else
            {
                immediate = true;
            }
        }

        if (immediate)
        {
            pod.RejectAtPreFilter(UnboundImmediate);
            return PodVolumeClaims.None;
        }

        return new PodVolumeClaims(bound, delayed);
    }

    /// <summary>kube's isPVCFullyBound: the claim names its volume and the volume controller has finished binding them.</summary>
    public static bool IsFullyBound(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return !string.IsNullOrEmpty(claim.Spec?.VolumeName) && claim.Metadata?.Annotations?.ContainsKey("pv.kubernetes.io/bind-completed") == true;
    }

    /// <summary>A volume with no node affinity suits every node; one with it, the nodes any of its terms match.</summary>
    public static bool SuitsNode(V1PersistentVolume volume, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(node);
        return volume.Spec?.NodeAffinity?.Required?.NodeSelectorTerms is not { } terms || terms.Any(term => NodeAffinity.Matches(term, node));
    }

    /// <summary>The claim's class has a provisioner, and its allowed topologies, if any, include the node.</summary>
    private bool CanProvision(V1PersistentVolumeClaim claim, NodeInfo node)
    {
        if (storage.Class(PersistentVolumeMatch.ClassOf(claim)) is not { } storageClass || storageClass.Provisioner == NoProvisioner)
        {
            return false;
        }

        return storageClass.AllowedTopologies is not { Count: > 0 } topologies
            || topologies.Any(term => (term.MatchLabelExpressions ?? []).All(e => node.Labels.TryGetValue(e.Key, out var value) && e.Values.Contains(value)));
    }
}
