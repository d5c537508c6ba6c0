using Gantry.Core.Selectors;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The ControllerRevision handlers of the controllers that keep history in revisions (kube's DaemonSet and StatefulSet
/// <c>addHistory</c>, <c>updateHistory</c>, <c>deleteHistory</c>): a revision's change wakes the owner its controllerRef
/// names, or, for an orphan, the owners whose selector matches it, as one of them may adopt it.
/// </summary>
public sealed class ControlledRevisionEvents<T>(Informer<T> owners, WorkQueue<string> queue, Func<T, LabelSelector> selector)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly string _kind = InProcessClient.TypeOf<T>().Kind;

    /// <summary>The handler for the revision informer's <see cref="Informer{T}.OnChange"/>.</summary>
    public void OnRevisionChange(V1ControllerRevision? old, V1ControllerRevision? current)
    {
        var revision = current ?? old!;
        if (OwnerReferences.ControllerOf(revision.Metadata) is { } controller)
        {
            if (controller.Kind == _kind && owners.Get(revision.Namespace(), controller.Name) is { } owner && owner.Uid() == controller.Uid)
            {
                queue.Add($"{owner.Namespace()}/{owner.Name()}");
            }

            return;
        }

        foreach (var owner in owners.ListInNamespace(revision.Namespace()).Where(o => selector(o).Matches(revision.Metadata)))
        {
            queue.Add($"{owner.Namespace()}/{owner.Name()}");
        }
    }
}
