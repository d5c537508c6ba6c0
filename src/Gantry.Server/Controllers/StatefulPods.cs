using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// A StatefulSet pod's identity, as kube's <c>stateful_set_utils.go</c> gives it: the name <c>&lt;set&gt;-&lt;ordinal&gt;</c>,
/// the hostname and subdomain the set's governing service resolves, and the labels that name the pod, its index and
/// the revision it was made from.
/// </summary>
public static partial class StatefulPods
{
    /// <summary><c>apps.StatefulSetPodNameLabel</c>: lets a Service select one pod of the set.</summary>
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";

    /// <summary><c>apps.PodIndexLabel</c> (the PodIndexLabel gate, on since 1.28).</summary>
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    /// <summary><c>apps.StatefulSetRevisionLabel</c>: the name of the ControllerRevision the pod was made from.</summary>
    public const string RevisionLabel = "controller-revision-hash";

    /// <summary>The ordinal in the pod's name (<c>getOrdinal</c>), or -1 for a name that carries none.</summary>
    public static int Ordinal(V1Pod pod) => ParentAndOrdinal(pod).Ordinal;

    /// <summary>Whether the pod's name makes it a member of the set (<c>isMemberOf</c>): the ownership filter of its claims.</summary>
    public static bool IsMemberOf(V1StatefulSet set, V1Pod pod) => ParentAndOrdinal(pod).Parent == set.Name();

    public static string PodName(V1StatefulSet set, int ordinal) => $"{set.Name()}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>getStartOrdinal</c>: <c>spec.ordinals.start</c>, 0 by default.</summary>
    public static int StartOrdinal(V1StatefulSet set) => set.Spec.Ordinals?.Start ?? 0;

    /// <summary><c>getEndOrdinal</c>: the last ordinal of the wanted replicas (start - 1 when there are none).</summary>
    public static int EndOrdinal(V1StatefulSet set) => StartOrdinal(set) + (set.Spec.Replicas ?? 1) - 1;

    /// <summary><c>podInOrdinalRange</c>.</summary>
    public static bool InOrdinalRange(V1StatefulSet set, V1Pod pod) => Ordinal(pod) is var ordinal && ordinal >= StartOrdinal(set) && ordinal <= EndOrdinal(set);

    /// <summary>The name of the revision the pod was made from (<c>getPodRevision</c>), "" when unlabelled.</summary>
    public static string Revision(V1Pod pod) => pod.Metadata.Labels?.TryGetValue(RevisionLabel, out var revision) == true ? revision : "";

    /// <summary>
    /// Whether the pod carries the identity of its ordinal in the set (<c>identityMatches</c>): its name, namespace,
    /// and the pod-name label. A pod that does not (an adopted orphan) gets it by an update.
    /// </summary>
    public static bool IdentityMatches(V1StatefulSet set, V1Pod pod)
    {
        var (parent, ordinal) = ParentAndOrdinal(pod);
        var labels = pod.Metadata.Labels;
        return ordinal >= 0
            && parent == set.Name()
            && pod.Name() == PodName(set, ordinal)
            && pod.Namespace() == set.Namespace()
            && labels is not null
            && labels.TryGetValue(PodNameLabel, out var name) && name == pod.Name();
    }

    /// <summary><c>updateIdentity</c>: the labels of the pod's identity.</summary>
    public static void UpdateIdentity(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = Ordinal(pod);
        pod.Metadata.Name = PodName(set, ordinal);
        pod.Metadata.NamespaceProperty = set.Namespace();
        var labels = pod.Metadata.Labels ??= new Dictionary<string, string>();
        labels[PodNameLabel] = pod.Name();
        labels[PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The pod of <paramref name="ordinal"/> made from <paramref name="template"/> (<c>newStatefulSetPod</c>), labelled with
    /// the revision that holds that template: controlled by the set, its volumes of the claim templates' names pointing at
    /// its own claims, its hostname its name and its subdomain the set's service, so that <c>&lt;pod&gt;.&lt;service&gt;</c>
    /// resolves to it.
    /// </summary>
    public static V1Pod New(V1StatefulSet set, V1PodTemplateSpec template, string revision, int ordinal)
    {
        var pod = PodControl.FromTemplate(set, template, p =>
        {
            p.Metadata.GenerateName = null;
            p.Metadata.Name = PodName(set, ordinal);
        });
        UpdateIdentity(set, pod);
        StatefulClaims.UpdateStorage(set, pod);
        pod.Spec.Hostname = pod.Name();
        pod.Spec.Subdomain = set.Spec.ServiceName;
        pod.Metadata.Labels![RevisionLabel] = revision;
        return pod;
    }

    private static (string Parent, int Ordinal) ParentAndOrdinal(V1Pod pod)
    {
        var match = StatefulPodName().Match(pod.Name() ?? "");
        if (!match.Success)
        {
            return ("", -1);
        }

        return (match.Groups[1].Value,
            int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : -1);
    }

    /// <summary><c>statefulPodRegex</c>: the parent's name and the ordinal after the last dash.</summary>
    [GeneratedRegex("^(.*)-([0-9]+)$")]
    private static partial Regex StatefulPodName();
}
