using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// Revisions and identity of a deployment's replica sets, as deployment_util.go: the
/// <c>pod-template-hash</c> label that names a template, the <c>deployment.kubernetes.io/revision</c>
/// annotation that numbers it (and its revision history when it is rolled back to), and the
/// annotations copied from the deployment (which <c>kubectl rollout history</c> and <c>undo</c> read).
/// </summary>
public static class DeploymentRevisions
{
    public const string PodTemplateHashLabel = "pod-template-hash";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotationKey = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotationKey = "deployment.kubernetes.io/max-replicas";
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";
    public const string RollbackToAnnotation = "deprecated.deployment.rollback.to";

    private const int MaxRevisionHistoryLength = 2000;

    /// <summary>Annotations that belong to the deployment or the replica set alone and are never copied (<c>annotationsToSkip</c>).</summary>
    public static IReadOnlySet<string> AnnotationsToSkip { get; } = new HashSet<string>
    {
        LastAppliedAnnotation, RevisionAnnotation, RevisionHistoryAnnotation, DesiredReplicasAnnotationKey, MaxReplicasAnnotationKey, RollbackToAnnotation,
    };

    public static long Revision(V1ObjectMeta? metadata) =>
        metadata?.Annotations?.TryGetValue(RevisionAnnotation, out var text) == true && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : 0;

    public static long MaxRevision(IEnumerable<V1ReplicaSet> rss) => rss.Select(rs => Revision(rs.Metadata)).DefaultIfEmpty(0).Max();

    public static int? DesiredReplicasAnnotation(V1ReplicaSet rs) => IntAnnotation(rs, DesiredReplicasAnnotationKey);

    public static int? MaxReplicasAnnotation(V1ReplicaSet rs) => IntAnnotation(rs, MaxReplicasAnnotationKey);

    /// <summary>Templates equal apart from the pod-template-hash label (<c>EqualIgnoreHash</c>), with unset and empty alike.</summary>
    public static bool EqualIgnoreHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b) =>
        JsonNode.DeepEquals(Normalize(a), Normalize(b));

    /// <summary>The oldest owned replica set whose template is the deployment's (<c>FindNewReplicaSet</c>).</summary>
    public static V1ReplicaSet? FindNew(V1Deployment d, IEnumerable<V1ReplicaSet> owned) =>
        RolloutMath.ByCreation(owned).FirstOrDefault(rs => EqualIgnoreHash(rs.Spec?.Template, d.Spec?.Template));

    /// <summary>
    /// A short stable name for a template (<c>ComputeHash</c>): FNV-32a over the template and the
    /// collision count, written in the alphabet of <c>rand.SafeEncodeString</c> (no vowels, so no words).
    /// </summary>
    public static string PodTemplateHash(V1PodTemplateSpec template, int? collisionCount)
    {
        var hash = 2166136261u;
        void Add(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * 16777619u;
            }
        }

        Add(Encoding.UTF8.GetBytes(Normalize(template)?.ToJsonString() ?? ""));
        if (collisionCount is { } count)
        {
            Add(BitConverter.GetBytes((uint)count));
        }

        return SafeEncoding.Encode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Brings a replica set's annotations up to date with its deployment (<c>SetNewReplicaSetAnnotations</c>):
    /// copies the deployment's annotations, raises the revision to <paramref name="newRevision"/> when it
    /// is lower (keeping the old one in the revision history: a rollback to this template), and, for a
    /// replica set about to be created, records the desired and maximum replicas. Returns whether anything changed.
    /// </summary>
    public static bool SetNewReplicaSetAnnotations(V1Deployment d, V1ReplicaSet rs, long newRevision, bool exists)
    {
        var changed = CopyDeploymentAnnotations(d, rs);
        var annotations = rs.Metadata.Annotations ??= new Dictionary<string, string>();
        var hadRevision = annotations.TryGetValue(RevisionAnnotation, out var oldRevisionText);
        long oldRevision = 0;
        if (hadRevision && !long.TryParse(oldRevisionText, NumberStyles.None, CultureInfo.InvariantCulture, out oldRevision))
        {
            if (!string.IsNullOrEmpty(oldRevisionText))
            {
                return changed;
            }
        }

        if (oldRevision < newRevision)
        {
            annotations[RevisionAnnotation] = newRevision.ToString(CultureInfo.InvariantCulture);
            changed = true;
            if (hadRevision)
            {
                annotations[RevisionHistoryAnnotation] = AppendHistory((ValueOf(annotations, RevisionHistoryAnnotation) ?? ""), oldRevisionText!);
            }
        }

        if (!exists && SetReplicasAnnotations(rs, RolloutMath.Desired(d), RolloutMath.Desired(d) + RolloutMath.MaxSurge(d)))
        {
            changed = true;
        }

        return changed;
    }

    /// <summary>Records what the deployment wanted when it last sized this replica set; returns whether it changed.</summary>
    public static bool SetReplicasAnnotations(V1ReplicaSet rs, int desired, int max)
    {
        var annotations = rs.Metadata.Annotations ??= new Dictionary<string, string>();
        var desiredText = desired.ToString(CultureInfo.InvariantCulture);
        var maxText = max.ToString(CultureInfo.InvariantCulture);
        var changed = ValueOf(annotations, DesiredReplicasAnnotationKey) != desiredText || ValueOf(annotations, MaxReplicasAnnotationKey) != maxText;
        annotations[DesiredReplicasAnnotationKey] = desiredText;
        annotations[MaxReplicasAnnotationKey] = maxText;
        return changed;
    }

    /// <summary>
    /// What <c>kubectl rollout undo</c> writes to roll a deployment back to <paramref name="rs"/>: its
    /// template without the hash label, and its annotations except the skipped ones, which keep the
    /// deployment's values.
    /// </summary>
    public static (V1PodTemplateSpec Template, Dictionary<string, string> Annotations) RollbackTarget(V1Deployment d, V1ReplicaSet rs)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(rs.Spec.Template));
        template.Metadata?.Labels?.Remove(PodTemplateHashLabel);
        var annotations = new Dictionary<string, string>();
        foreach (var key in AnnotationsToSkip)
        {
            if (d.Metadata.Annotations?.TryGetValue(key, out var value) == true)
            {
                annotations[key] = value;
            }
        }

        foreach (var (key, value) in rs.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (!AnnotationsToSkip.Contains(key))
            {
                annotations[key] = value;
            }
        }

        return (template, annotations);
    }

    private static bool CopyDeploymentAnnotations(V1Deployment d, V1ReplicaSet rs)
    {
        var changed = false;
        var annotations = rs.Metadata.Annotations ??= new Dictionary<string, string>();
        foreach (var (key, value) in d.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (AnnotationsToSkip.Contains(key) || ValueOf(annotations, key) == value)
            {
                continue;
            }

            annotations[key] = value;
            changed = true;
        }

        return changed;
    }

    private static string AppendHistory(string history, string oldRevision)
    {
        if (history.Length == 0)
        {
            return oldRevision;
        }

        var revisions = history.Split(',').ToList();
        var total = history.Length + oldRevision.Length + 1;
        var start = 0;
        while (total > MaxRevisionHistoryLength && start < revisions.Count)
        {
            total -= revisions[start].Length + 1;
            start++;
        }

        return total <= MaxRevisionHistoryLength ? string.Join(',', revisions.Skip(start).Append(oldRevision)) : history;
    }

    internal static string? ValueOf(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;

    private static int? IntAnnotation(V1ReplicaSet rs, string key) =>
        rs.Metadata.Annotations?.TryGetValue(key, out var text) == true && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static JsonNode? Normalize(V1PodTemplateSpec? template)
    {
        if (template is null)
        {
            return null;
        }

        var node = Registry.Rules.SemanticEquality.Normalized(template);
        if (node?["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(PodTemplateHashLabel);
            if (labels.Count == 0)
            {
                node["metadata"]!.AsObject().Remove("labels");
                if (node["metadata"]!.AsObject().Count == 0)
                {
                    node.AsObject().Remove("metadata");
                }
            }
        }

        return node;
    }
}
