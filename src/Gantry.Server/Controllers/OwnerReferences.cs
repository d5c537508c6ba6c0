using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The controller reference conventions of apimachinery's <c>metav1.GetControllerOf</c> and
/// <c>NewControllerRef</c>: at most one owner is the controller, and a controller blocks its owner's
/// foreground deletion until the dependent is gone.
/// </summary>
internal static class OwnerReferences
{
    public static V1OwnerReference? ControllerOf(V1ObjectMeta? metadata) =>
        metadata?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    public static bool IsControlledBy(V1ObjectMeta? metadata, string ownerUid) =>
        ControllerOf(metadata)?.Uid == ownerUid;

    public static V1OwnerReference NewControllerRef(IKubernetesObject<V1ObjectMeta> owner) => new()
    {
        ApiVersion = owner.ApiVersion,
        Kind = owner.Kind,
        Name = owner.Name(),
        Uid = owner.Uid(),
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>
    /// The owner references without <paramref name="ownerUid"/>'s, null when none is left: a released object carries no
    /// empty list, as kube's release patch leaves none.
    /// </summary>
    public static IList<V1OwnerReference>? Without(V1ObjectMeta metadata, string ownerUid) =>
        metadata.OwnerReferences?.Where(r => r.Uid != ownerUid).ToList() is { Count: > 0 } kept ? kept : null;
}
