using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// Namespaces: the <c>kubernetes</c> finalizer and the Active phase the namespace strategy sets on create,
/// the <c>kubernetes.io/metadata.name</c> label of <c>SetDefaults_Namespace</c>, and finalizer name checks.
/// </summary>
public sealed class NamespaceRules() : ResourceRules<V1Namespace>(ResourceCatalog.Get("", "namespaces"))
{
    public const string KubernetesFinalizer = "kubernetes";
    public const string MetadataNameLabel = "kubernetes.io/metadata.name";

    private static readonly HashSet<string> StandardFinalizers = new(StringComparer.Ordinal) { KubernetesFinalizer, "orphan", "foregroundDeletion" };

    protected override void Default(V1Namespace obj)
    {
        var metadata = obj.Metadata ??= new V1ObjectMeta();
        if (!string.IsNullOrEmpty(metadata.Name))
        {
            metadata.Labels ??= new Dictionary<string, string>();
            metadata.Labels[MetadataNameLabel] = metadata.Name;
        }

        var spec = obj.Spec ??= new V1NamespaceSpec();
        // Only a namespace being deleted loses its finalizer (through the finalize subresource), so a live
        // namespace without one is a new one.
        if (metadata.DeletionTimestamp is null && (spec.Finalizers?.Count ?? 0) == 0)
        {
            spec.Finalizers = [KubernetesFinalizer];
        }

        var status = obj.Status ??= new V1NamespaceStatus();
        if (string.IsNullOrEmpty(status.Phase))
        {
            status.Phase = "Active";
        }
    }

    protected override void Validate(V1Namespace obj, List<FieldError> errors)
    {
        var path = FieldPath.Of("spec", "finalizers");
        foreach (var finalizer in obj.Spec?.Finalizers ?? [])
        {
            errors.AddRange(FormatValidation.IsQualifiedName(finalizer).Select(m => FieldErrors.Invalid(path, finalizer, m)));
            if (!finalizer.Contains('/', StringComparison.Ordinal) && !StandardFinalizers.Contains(finalizer))
            {
                errors.Add(FieldErrors.Invalid(path, finalizer, "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
    }
}
