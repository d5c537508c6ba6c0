using System.Globalization;
using Gantry.Server.Registry.Rules;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// A StatefulSet pod's claims, as kube's <c>stateful_set_utils.go</c> makes them: one per volumeClaimTemplate, named
/// <c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>, labelled with the template's labels and the set's selector; the pod's
/// volumes of the templates' names point at them (<c>updateStorage</c>); and the owner references the set's
/// <c>persistentVolumeClaimRetentionPolicy</c> asks of them (<c>isClaimOwnerUpToDate</c>,
/// <c>updateClaimOwnerRefForSetAndPod</c>), so the garbage collector deletes them with the set or the scaled-down pod.
/// </summary>
public static class StatefulClaims
{
    private const string Delete = "Delete";

    /// <summary><c>getPersistentVolumeClaimName</c>.</summary>
    public static string Name(V1StatefulSet set, V1PersistentVolumeClaim template, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(template);
        return $"{template.Metadata?.Name}-{set.Name()}-{ordinal.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary><c>getPersistentVolumeClaims</c>, in the order of the templates: (template name, claim).</summary>
    public static List<(string Template, V1PersistentVolumeClaim Claim)> For(V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pod);
        var ordinal = StatefulPods.Ordinal(pod);
        var claims = new List<(string, V1PersistentVolumeClaim)>();
        foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
        {
            var claim = SemanticEquality.Clone(template);
            claim.ApiVersion = "v1";
            claim.Kind = "PersistentVolumeClaim";
            claim.Metadata ??= new V1ObjectMeta();
            claim.Metadata.Name = Name(set, template, ordinal);
            claim.Metadata.NamespaceProperty = set.Namespace();
            var labels = claim.Metadata.Labels ??= new Dictionary<string, string>();
            foreach (var (key, value) in set.Spec.Selector?.MatchLabels ?? new Dictionary<string, string>())
            {
                labels[key] = value;
            }

            if (labels.Count == 0)
            {
                claim.Metadata.Labels = null;
            }

            claims.Add((template.Metadata?.Name ?? "", claim));
        }

        return claims;
    }

    /// <summary><c>updateStorage</c>: the templates' volumes point at the pod's claims; the pod's other volumes follow.</summary>
    public static void UpdateStorage(V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pod);
        var claims = For(set, pod);
        if (claims.Count == 0)
        {
            return;
        }

        var volumes = claims
            .Select(c => new V1Volume { Name = c.Template, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = c.Claim.Name() } })
            .ToList();
        volumes.AddRange((pod.Spec.Volumes ?? []).Where(v => !claims.Exists(c => c.Template == v.Name)));
        pod.Spec.Volumes = volumes;
    }

    /// <summary>
    /// <c>isClaimOwnerUpToDate</c>: the claim's owner references are what the set's retention policy asks — WhenDeleted
    /// Delete: owned by the set; WhenScaled Delete: owned by the pod once the pod's ordinal is scaled away (and then no
    /// longer by the set); Retain: owned by neither.
    /// </summary>
    public static bool OwnersUpToDate(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (HasUnexpectedController(claim, set, pod))
        {
            // kube's hasUnexpectedController: a claim another controller manages is left to it, the policy ignored.
            return true;
        }

        var (bySet, byPod) = WantedOwners(set, pod);
        return HasOwner(claim, set.Uid()) == bySet && HasOwner(claim, pod.Uid()) == byPod;
    }

    private static bool HasUnexpectedController(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod) =>
        claim.Metadata?.OwnerReferences?.Any(r => r.Controller == true && r.Uid != set.Uid() && r.Uid != pod.Uid()) == true;

    /// <summary><c>updateClaimOwnerRefForSetAndPod</c>: a copy of the claim with the owners <see cref="OwnersUpToDate"/> asks.</summary>
    public static V1PersistentVolumeClaim WithOwners(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var (bySet, byPod) = WantedOwners(set, pod);
        var copy = SemanticEquality.Clone(claim);
        var owners = (copy.Metadata.OwnerReferences ?? []).Where(r => r.Uid != set.Uid() && r.Uid != pod.Uid()).ToList();
        if (bySet)
        {
            owners.Add(OwnerRef(set, "apps/v1", "StatefulSet"));
        }

        if (byPod)
        {
            owners.Add(OwnerRef(pod, "v1", "Pod"));
        }

        copy.Metadata.OwnerReferences = owners.Count == 0 ? null : owners;
        return copy;
    }

    private static (bool BySet, bool ByPod) WantedOwners(V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pod);
        var policy = set.Spec.PersistentVolumeClaimRetentionPolicy;
        var deleteWithSet = policy?.WhenDeleted == Delete;
        var deleteWhenScaled = policy?.WhenScaled == Delete;
        var scaledDown = !StatefulPods.InOrdinalRange(set, pod);
        return (deleteWithSet && !(deleteWhenScaled && scaledDown), deleteWhenScaled && scaledDown);
    }

    private static bool HasOwner(V1PersistentVolumeClaim claim, string uid) => claim.Metadata?.OwnerReferences?.Any(r => r.Uid == uid) == true;

    /// <summary>kube's <c>setOwnerRef</c>: a controller reference (only one of the two owners is ever set at a time).</summary>
    private static V1OwnerReference OwnerRef(IKubernetesObject<V1ObjectMeta> owner, string apiVersion, string kind) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Name(),
        Uid = owner.Uid(),
        Controller = true,
    };
}
