using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.Networking;

/// <summary>
/// kube's <c>ValidateNetworkPolicyPeer</c>: a peer is pods, namespaces, both (the pods of those namespaces) or an IP
/// block alone, and each selector it has is a valid label selector.
/// </summary>
internal static class NetworkPolicyPeerValidation
{
    public static void Validate(V1NetworkPolicyPeer peer, bool allowInvalidLabelValues, FieldPath path, List<FieldError> errors)
    {
        var peers = 0;
        if (peer.PodSelector is { } podSelector)
        {
            peers++;
            errors.AddRange(LabelSelectorValidation.Validate(podSelector, path.Child("podSelector"), allowInvalidLabelValues));
        }

        if (peer.NamespaceSelector is { } namespaceSelector)
        {
            peers++;
            errors.AddRange(LabelSelectorValidation.Validate(namespaceSelector, path.Child("namespaceSelector"), allowInvalidLabelValues));
        }

        if (peer.IpBlock is { } ipBlock)
        {
            peers++;
            IpBlockValidation.Validate(ipBlock, path.Child("ipBlock"), errors);
        }

        if (peers == 0)
        {
            errors.Add(FieldErrors.Required(path, "must specify a peer"));
        }
        else if (peers > 1 && peer.IpBlock is not null)
        {
            errors.Add(FieldErrors.Forbidden(path, "may not specify both ipBlock and another peer"));
        }
    }
}
