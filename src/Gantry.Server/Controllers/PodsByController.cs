using Gantry.Server.Informers;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// kube's <c>PodControllerUIDIndex</c> and <c>FilterPodsByOwner</c>: the pod informer indexed by each pod's controller
/// uid, orphans by their namespace, so that a controller's sync reads its own pods and the orphans it may adopt instead
/// of every pod in its namespace.
/// </summary>
internal static class PodsByController
{
    private const string IndexName = "podControllerUID";

    /// <summary>A uid never holds a slash, so an orphan's value cannot be taken for a controller's.</summary>
    private const string OrphanPrefix = "orphan/";

    public static void AddTo(Informer<V1Pod> pods) =>
        pods.AddIndex(IndexName, pod => OwnerReferences.ControllerOf(pod.Metadata)?.Uid ?? OrphanPrefix + pod.Namespace());

    /// <summary>The pods <paramref name="owner"/> controls.</summary>
    public static List<V1Pod> Owned(Informer<V1Pod> pods, IKubernetesObject<V1ObjectMeta> owner) => pods.ListByIndex(IndexName, owner.Uid());

    /// <summary>The pods <paramref name="owner"/> controls, then the orphans of its namespace.</summary>
    public static List<V1Pod> OwnedOrOrphans(Informer<V1Pod> pods, IKubernetesObject<V1ObjectMeta> owner)
    {
        var found = pods.ListByIndex(IndexName, owner.Uid());
        found.AddRange(pods.ListByIndex(IndexName, OrphanPrefix + owner.Namespace()));
        return found;
    }
}
