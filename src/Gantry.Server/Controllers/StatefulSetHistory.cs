using Gantry.Core.Selectors;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>The current and update revisions of a StatefulSet, its revisions sorted, and the collision count they were made with.</summary>
public sealed record StatefulSetRevisionSet(
    V1ControllerRevision Current, V1ControllerRevision Update, int CollisionCount, List<V1ControllerRevision> Sorted);

/// <summary>
/// A StatefulSet's rollout history as ControllerRevisions, kept as kube's StatefulSet controller keeps it
/// (<c>adoptOrphanRevisions</c>, <c>getStatefulSetRevisions</c>, <c>truncateHistory</c>).
/// </summary>
public sealed class StatefulSetHistory(Informer<V1ControllerRevision> revisions, InProcessClient client)
{
    private readonly ControllerRefClaims<V1ControllerRevision> _claims = new(client);

    /// <summary>
    /// The set's revisions, orphans that match it adopted, with the update revision (the set's template) created if no
    /// revision holds it, or, when an older one does, renumbered as the newest, which is how an undo shows. The current
    /// revision is the one the status names, or the update revision for a new set.
    /// </summary>
    public async Task<StatefulSetRevisionSet> ConstructAsync(V1StatefulSet set, LabelSelector selector, CancellationToken cancellationToken)
    {
        var owned = await _claims.ClaimAsync(set, selector, revisions.ListInNamespace(set.Namespace()), cancellationToken).ConfigureAwait(false);
        var sorted = StatefulSetRevisions.Sorted(owned);
        var collisionCount = set.Status?.CollisionCount ?? 0;
        var wanted = StatefulSetRevisions.New(set, StatefulSetRevisions.Next(sorted), collisionCount);
        var patch = TemplatePatch.Of(set.Spec.Template);
        var equal = sorted.Where(r => TemplatePatch.Holds(r, patch)).ToList();
        V1ControllerRevision update;
        if (equal.Count > 0 && sorted[^1].Name() == equal[^1].Name())
        {
            update = sorted[^1];
        }
        else if (equal.Count > 0)
        {
            update = await client.MutateAsync<V1ControllerRevision>(
                set.Namespace(), equal[^1].Name(), r => r.Revision = wanted.Revision, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            (update, collisionCount) = await CreateAsync(set, wanted, collisionCount, cancellationToken).ConfigureAwait(false);
        }

        var current = sorted.FirstOrDefault(r => r.Name() == set.Status?.CurrentRevision) ?? update;
        return new StatefulSetRevisionSet(current, update, collisionCount, sorted);
    }

    /// <summary>Deletes the revisions beyond the set's history limit that are not live (<c>truncateHistory</c>).</summary>
    public async Task TruncateAsync(V1StatefulSet set, StatefulSetRevisionSet history, IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        foreach (var revision in StatefulSetRevisions.ToTruncate(set, history.Sorted, history.Current.Name(), history.Update.Name(), pods))
        {
            await StoredRevisions.DeleteAsync(client, revision, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>CreateControllerRevision</c>: a name taken by a revision with the same data is that revision (a write the
    /// informer has not shown yet); one taken by other data raises the collision count and tries the next hash.
    /// </summary>
    private async Task<(V1ControllerRevision Revision, int CollisionCount)> CreateAsync(
        V1StatefulSet set, V1ControllerRevision wanted, int collisionCount, CancellationToken cancellationToken)
    {
        var patch = TemplatePatch.Of(set.Spec.Template);
        while (true)
        {
            var revision = StatefulSetRevisions.New(set, wanted.Revision ?? 1, collisionCount);
            try
            {
                return (await client.CreateAsync(revision, cancellationToken).ConfigureAwait(false), collisionCount);
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                if (StoredRevisions.Get(client, revision) is { } existing && TemplatePatch.Holds(existing, patch))
                {
                    return (existing, collisionCount);
                }

                collisionCount++;
            }
        }
    }
}
