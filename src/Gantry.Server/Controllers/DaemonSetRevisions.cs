using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// What kube's DaemonSet controller keeps as history, over one snapshot: a ControllerRevision holds the template as a
/// <see cref="TemplatePatch"/>; a revision is the current one when its patch is the DaemonSet's own (<c>Match</c>).
/// </summary>
public static class DaemonSetRevisions
{
    /// <summary>The revision data of the DaemonSet's template (<c>getPatch</c>).</summary>
    public static JsonObject Patch(V1DaemonSet ds) => TemplatePatch.Of(ds.Spec.Template);

    /// <summary>Whether <paramref name="revision"/> holds the DaemonSet's current template.</summary>
    public static bool Matches(V1DaemonSet ds, V1ControllerRevision revision) => TemplatePatch.Holds(revision, Patch(ds));

    /// <summary>
    /// The revision a DaemonSet's template makes (<c>snapshot</c>): named <c>&lt;ds&gt;-&lt;hash&gt;</c>, labelled as the
    /// template with the hash added, annotated as the DaemonSet (the change cause among them), controlled by it.
    /// </summary>
    public static V1ControllerRevision Snapshot(V1DaemonSet ds, string hash, long revision)
    {
        var labels = new Dictionary<string, string>(ds.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [DaemonPods.RevisionHashLabel] = hash,
        };
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = $"{ds.Name()}-{hash}",
                NamespaceProperty = ds.Namespace(),
                Labels = labels,
                Annotations = ds.Metadata.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : null,
                OwnerReferences = [OwnerReferences.NewControllerRef(ds)],
            },
            Data = JsonDocument.Parse(Patch(ds).ToJsonString()).RootElement.Clone(),
            Revision = revision,
        };
    }

    /// <summary>The highest revision number of <paramref name="revisions"/>, 0 for none (<c>maxRevision</c>).</summary>
    public static long MaxRevision(IEnumerable<V1ControllerRevision> revisions) => revisions.Max(r => (long?)r.Revision) ?? 0;

    /// <summary>
    /// Of several revisions that all match the template, the one kept (<c>dedupCurHistories</c>): the highest revision,
    /// the last listed among equals.
    /// </summary>
    public static V1ControllerRevision Keep(IReadOnlyList<V1ControllerRevision> current) =>
        current.Aggregate((kept, next) => next.Revision >= kept.Revision ? next : kept);

    /// <summary>
    /// The old revisions beyond the history limit to delete, oldest first (<c>cleanupHistory</c>); a revision that
    /// live pods were made from (their <c>controller-revision-hash</c>) is kept whatever its age.
    /// </summary>
    public static List<V1ControllerRevision> ToCleanUp(IReadOnlyList<V1ControllerRevision> old, int limit, IReadOnlySet<string> liveHashes)
    {
        var excess = old.Count - limit;
        if (excess <= 0)
        {
            return [];
        }

        return [.. old.OrderBy(r => r.Revision)
            .Where(r => !liveHashes.Contains(HashOf(r) ?? ""))
            .Take(excess)];
    }

    /// <summary>The <c>controller-revision-hash</c> label of a revision, or of a pod made from it.</summary>
    public static string? HashOf(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata.Labels?.TryGetValue(DaemonPods.RevisionHashLabel, out var hash) == true ? hash : null;
}
