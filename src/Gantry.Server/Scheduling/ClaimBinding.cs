using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// What placing a pod on a node asks of one of its unbound claims: to be bound to <paramref name="Volume"/>, an
/// Available volume that suits the node, or, with none, to have one provisioned on <paramref name="Node"/>.
/// </summary>
public sealed record ClaimBinding(V1PersistentVolumeClaim Claim, string Node, V1PersistentVolume? Volume)
{
    public string ClaimKey => $"{Claim.Metadata.NamespaceProperty}/{Claim.Metadata.Name}";
}
