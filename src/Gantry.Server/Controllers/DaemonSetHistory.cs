using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// A DaemonSet's rollout history as ControllerRevisions, kept as kube's DaemonSet controller keeps it
/// (<c>constructHistory</c>, <c>dedupCurHistories</c>, <c>snapshot</c>, <c>cleanupHistory</c>): one revision per
/// template the DaemonSet has had, the current one numbered above all others, and old ones beyond
/// <c>revisionHistoryLimit</c> deleted unless pods still run them.
/// </summary>
public sealed class DaemonSetHistory(Informer<V1ControllerRevision> revisions, InProcessClient client)
{
    private readonly ControllerRefClaims<V1ControllerRevision> _claims = new(client);

    /// <summary>
    /// The revision of the DaemonSet's current template, created or renumbered as needed, and the older ones. A
    /// template that matches an old revision takes that revision back with a new number, which is how an undo shows.
    /// </summary>
    /// <param name="pods">The DaemonSet's pods: relabelled when duplicate current revisions are merged into one.</param>
    /// <exception cref="ApiException">A write failed; a name taken by another template raised the collision count first.</exception>
    public async Task<(V1ControllerRevision Current, List<V1ControllerRevision> Old)> ConstructAsync(
        V1DaemonSet ds, LabelSelector selector, IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        var claimed = await _claims.ClaimAsync(ds, selector, revisions.ListInNamespace(ds.Namespace()), cancellationToken).ConfigureAwait(false);
        List<V1ControllerRevision> current = [], old = [];
        foreach (var claimedRevision in claimed)
        {
            var revision = claimedRevision;
            if (DaemonSetRevisions.HashOf(revision) is null)
            {
                // Named by the hash it was made with: the name stands in for it, so that a collision cannot matter.
                revision = await client.MutateAsync<V1ControllerRevision>(ds.Namespace(), revision.Name(),
                    r => (r.Metadata.Labels ??= new Dictionary<string, string>())[DaemonPods.RevisionHashLabel] = r.Name(), cancellationToken).ConfigureAwait(false);
            }

            (DaemonSetRevisions.Matches(ds, revision) ? current : old).Add(revision);
        }

        var next = DaemonSetRevisions.MaxRevision(old) + 1;
        if (current.Count == 0)
        {
            return (await SnapshotAsync(ds, next, cancellationToken).ConfigureAwait(false), old);
        }

        var kept = await DedupAsync(ds, current, pods, cancellationToken).ConfigureAwait(false);
        if (kept.Revision < next)
        {
            kept = await client.MutateAsync<V1ControllerRevision>(ds.Namespace(), kept.Name(), r => r.Revision = next, cancellationToken).ConfigureAwait(false);
        }

        return (kept, old);
    }

    /// <summary>Deletes the old revisions beyond the DaemonSet's history limit that no live pod was made from.</summary>
    public async Task CleanupAsync(V1DaemonSet ds, List<V1ControllerRevision> old, IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        var liveHashes = pods.Select(DaemonSetRevisions.HashOf).OfType<string>().Where(h => h.Length > 0).ToHashSet();
        foreach (var revision in DaemonSetRevisions.ToCleanUp(old, ds.Spec.RevisionHistoryLimit ?? 10, liveHashes))
        {
            await StoredRevisions.DeleteAsync(client, revision, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the revision of the current template. Its name may already be taken: by this very template (a write the
    /// informer has not shown yet), which is then the revision; or by another template with the same hash, when the
    /// collision count goes up so that the next sync hashes differently.
    /// </summary>
    private async Task<V1ControllerRevision> SnapshotAsync(V1DaemonSet ds, long revision, CancellationToken cancellationToken)
    {
        var hash = DeploymentRevisions.PodTemplateHash(ds.Spec.Template, ds.Status?.CollisionCount);
        var snapshot = DaemonSetRevisions.Snapshot(ds, hash, revision);
        try
        {
            return await client.CreateAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            if (StoredRevisions.Get(client, snapshot) is { } existing && DaemonSetRevisions.Matches(ds, existing))
            {
                return existing;
            }

            await client.MutateAsync<V1DaemonSet>(ds.Namespace(), ds.Name(), d =>
            {
                var status = d.Status ??= new V1DaemonSetStatus();
                status.CollisionCount = (status.CollisionCount ?? 0) + 1;
            }, cancellationToken, "status").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Keeps one of several revisions of the current template (<c>dedupCurHistories</c>): pods labelled with another's
    /// hash are relabelled to the kept one's before the others are deleted.
    /// </summary>
    private async Task<V1ControllerRevision> DedupAsync(
        V1DaemonSet ds, List<V1ControllerRevision> current, IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        var kept = DaemonSetRevisions.Keep(current);
        if (current.Count == 1)
        {
            return kept;
        }

        var hash = DaemonSetRevisions.HashOf(kept) ?? "";
        foreach (var pod in pods.Where(p => DaemonSetRevisions.HashOf(p) != hash))
        {
            await client.MutateAsync<V1Pod>(pod.Namespace(), pod.Name(),
                p => (p.Metadata.Labels ??= new Dictionary<string, string>())[DaemonPods.RevisionHashLabel] = hash, cancellationToken).ConfigureAwait(false);
        }

        foreach (var duplicate in current.Where(r => r.Name() != kept.Name()))
        {
            await StoredRevisions.DeleteAsync(client, duplicate, cancellationToken).ConfigureAwait(false);
        }

        return kept;
    }
}
