using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// A mutating admission plugin for new pods, run on the decoded pod before it is defaulted and validated, as kube's
/// admission chain runs for a pod's create. The server names the plugins it runs (<see cref="ServiceAccountAdmission"/>).
/// </summary>
public interface IPodAdmission
{
    /// <exception cref="Api.ApiException">The pod is refused.</exception>
    Task AdmitAsync(V1Pod pod, string ns, CancellationToken cancellationToken);
}
