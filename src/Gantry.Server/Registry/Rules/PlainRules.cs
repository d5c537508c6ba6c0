using Gantry.Core.Resources;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>The rules of a type Kubernetes neither defaults nor validates beyond its metadata (ServiceAccount).</summary>
public sealed class PlainRules<T>(ResourceType type) : ResourceRules<T>(type)
    where T : class, IKubernetesObject<V1ObjectMeta>;
