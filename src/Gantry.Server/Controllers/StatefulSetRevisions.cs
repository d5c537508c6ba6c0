using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The ControllerRevisions of a StatefulSet, as kube's <c>newRevision</c> and <c>history</c> package make and order them:
/// each holds the template as a <see cref="TemplatePatch"/>, is named by a hash of that data and the collision count,
/// and the pods made from it carry its name.
/// </summary>
public static class StatefulSetRevisions
{
    /// <summary>
    /// The revision the set's template makes (<c>newRevision</c>, <c>history.NewControllerRevision</c>): labelled as the
    /// template with the hash added, annotated as the set (the change cause among them), controlled by it.
    /// </summary>
    public static V1ControllerRevision New(V1StatefulSet set, long revision, int collisionCount)
    {
        var data = TemplatePatch.Of(set.Spec.Template).ToJsonString();
        var hash = Hash(data, collisionCount);
        var labels = new Dictionary<string, string>(set.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [StatefulPods.RevisionLabel] = hash,
        };
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = Name(set.Name(), hash),
                NamespaceProperty = set.Namespace(),
                Labels = labels,
                Annotations = new Dictionary<string, string>(set.Metadata.Annotations ?? new Dictionary<string, string>()),
                OwnerReferences = [OwnerReferences.NewControllerRef(set)],
            },
            Data = JsonDocument.Parse(data).RootElement.Clone(),
            Revision = revision,
        };
    }

    /// <summary>
    /// <c>HashControllerRevision</c>: FNV-1 (32 bits) over the data and the collision count in decimal, safely encoded.
    /// </summary>
    public static string Hash(string data, int collisionCount)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(data + collisionCount.ToString(CultureInfo.InvariantCulture)))
        {
            hash = (hash * 16777619u) ^ b;
        }

        return SafeEncoding.Encode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>ControllerRevisionName</c>: the parent's name, cut to 223 characters, and the hash.</summary>
    public static string Name(string parent, string hash) => $"{(parent.Length > 223 ? parent[..223] : parent)}-{hash}";

    /// <summary><c>SortControllerRevisions</c>: by revision number, then creation, then name.</summary>
    public static List<V1ControllerRevision> Sorted(IEnumerable<V1ControllerRevision> revisions) =>
        [.. revisions.OrderBy(r => r.Revision).ThenBy(r => r.Metadata.CreationTimestamp).ThenBy(r => r.Name(), StringComparer.Ordinal)];

    /// <summary><c>nextRevision</c>: one above the last of the sorted revisions, 1 for none.</summary>
    public static long Next(IReadOnlyList<V1ControllerRevision> sorted) => sorted.Count == 0 ? 1 : (sorted[^1].Revision ?? 0) + 1;

    /// <summary><c>ApplyRevision</c>: the set as it was at <paramref name="revision"/>, its template restored from it.</summary>
    public static V1StatefulSet Apply(V1StatefulSet set, V1ControllerRevision revision)
    {
        var clone = KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(set));
        clone.Spec.Template = TemplatePatch.TemplateOf(revision) ?? clone.Spec.Template;
        return clone;
    }

    /// <summary>
    /// The revisions <c>truncateHistory</c> deletes: of those not live (the current and update revisions and those pods
    /// were made from), the oldest beyond <c>revisionHistoryLimit</c>.
    /// </summary>
    public static List<V1ControllerRevision> ToTruncate(
        V1StatefulSet set, IReadOnlyList<V1ControllerRevision> sorted, string current, string update, IEnumerable<V1Pod> pods)
    {
        var live = pods.Select(StatefulPods.Revision).Append(current).Append(update).ToHashSet();
        var history = sorted.Where(r => !live.Contains(r.Name())).ToList();
        var limit = set.Spec.RevisionHistoryLimit ?? 10;
        return limit < 0 || history.Count <= limit ? [] : history[..(history.Count - limit)];
    }
}
