using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>Kubernetes' <c>PodControllerRefManager</c>: which pods a controller owns, adopting and releasing by its selector.</summary>
public sealed class PodClaims(InProcessClient client) : ControllerRefClaims<V1Pod>(client);
