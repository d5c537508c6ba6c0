using Gantry.Core.Resources;
using Gantry.Server.Registry.Rules;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// Kubernetes' DefaultIngressClass admission plugin: a new Ingress that names no class (no <c>spec.ingressClassName</c>
/// and no <c>kubernetes.io/ingress.class</c> annotation) gets the default class, the one annotated
/// <c>ingressclass.kubernetes.io/is-default-class: "true"</c>; of several, the newest, then the first by name, as kube
/// picks it.
/// </summary>
public sealed class DefaultIngressClassAdmission(WatchCache cache) : IWriteAdmission
{
    public const string IsDefaultAnnotation = "ingressclass.kubernetes.io/is-default-class";

    private static readonly ResourceType IngressClasses = ResourceCatalog.Get("networking.k8s.io", "ingressclasses");

    public void Admit(ResourceType type, string? ns, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, WriteOptions options)
    {
        if (old is not null || obj is not V1Ingress ingress || ingress.Spec?.IngressClassName is not null
            || ingress.Metadata?.Annotations?.ContainsKey(IngressRules.ClassAnnotation) == true)
        {
            return;
        }

        var classes = cache.List(IngressClasses.KeyPrefix, new WatchFilter(IngressClasses.KeyPrefix)).Items.Select(Read);
        if (DefaultOf(classes) is { } defaultClass)
        {
            (ingress.Spec ??= new V1IngressSpec()).IngressClassName = defaultClass.Name();
        }
    }

    /// <summary>kube's <c>getDefaultClass</c>: the newest default class, then the first by name; null when none is default.</summary>
    public static V1IngressClass? DefaultOf(IEnumerable<V1IngressClass> classes) =>
        classes.Where(c => c.Metadata?.Annotations?.TryGetValue(IsDefaultAnnotation, out var value) == true && value == "true")
            .OrderByDescending(c => c.Metadata?.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(c => c.Name(), StringComparer.Ordinal)
            .FirstOrDefault();

    private static V1IngressClass Read(CachedObject cached) => DecodedObjects<V1IngressClass>.Of(cached);
}
