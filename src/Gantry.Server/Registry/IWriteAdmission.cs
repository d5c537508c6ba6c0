using Gantry.Core.Resources;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// A validating admission plugin that may refuse a create or an update for who sends it, run on the decoded, defaulted
/// and validated object before anything is reserved or stored, dry runs included. The server names the plugins it runs
/// (<see cref="Security.RbacEscalationAdmission"/>); each passes the kinds it does not judge.
/// </summary>
public interface IWriteAdmission
{
    /// <param name="ns">The request's namespace; null for a cluster-scoped kind.</param>
    /// <param name="old">The stored object an update replaces; null for a create.</param>
    /// <exception cref="Api.ApiException">The write is refused.</exception>
    void Admit(ResourceType type, string? ns, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, WriteOptions options);
}
