using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// PersistentVolumeClaims, as kube's <c>SetDefaults_PersistentVolumeClaim</c>, <c>ValidatePersistentVolumeClaim</c> and
/// <c>ValidatePersistentVolumeClaimUpdate</c> treat them: access modes and a positive storage request; once created the
/// spec is fixed, except that the volume name may be set once, a claim without a class may be given one, and a bound claim's
/// storage request may grow (claims are immutable so that quota and limits cannot be gamed).
/// </summary>
public sealed class PersistentVolumeClaimRules() : ResourceRules<V1PersistentVolumeClaim>(ResourceCatalog.Get("", "persistentvolumeclaims"))
{
    /// <summary>The class a claim named before <c>spec.storageClassName</c> existed, which kube still honours.</summary>
    public const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    private static readonly FieldPath Spec = FieldPath.Of("spec");

    protected override void Default(V1PersistentVolumeClaim obj)
    {
        var spec = obj.Spec ??= new V1PersistentVolumeClaimSpec();
        spec.VolumeMode ??= "Filesystem";
        var status = obj.Status ??= new V1PersistentVolumeClaimStatus();
        if (string.IsNullOrEmpty(status.Phase))
        {
            status.Phase = "Pending";
        }
    }

    protected override void Validate(V1PersistentVolumeClaim obj, List<FieldError> errors) =>
        ValidateSpec(obj.Spec ?? new V1PersistentVolumeClaimSpec(), Spec, errors);

    /// <summary>kube's <c>ValidatePersistentVolumeClaimSpec</c>.</summary>
    private static void ValidateSpec(V1PersistentVolumeClaimSpec spec, FieldPath path, List<FieldError> errors)
    {
        if (spec.AccessModes is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(path.Child("accessModes"), "at least 1 access mode is required"));
        }

        if (spec.Selector is not null)
        {
            errors.AddRange(LabelSelectorValidation.Validate(spec.Selector, path.Child("selector")));
        }

        StorageValidation.ValidateAccessModes(spec.AccessModes, path.Child("accessModes"), errors);
        var storagePath = path.Child("resources").Key("storage");
        if (StorageValidation.Storage(spec.Resources?.Requests) is not { } storage)
        {
            errors.Add(FieldErrors.Required(storagePath));
        }
        else
        {
            StorageValidation.ValidatePositive(storage, storagePath, errors);
        }

        if (!string.IsNullOrEmpty(spec.StorageClassName))
        {
            StorageValidation.ValidateClassName(spec.StorageClassName, path.Child("storageClassName"), errors);
        }

        StorageValidation.ValidateVolumeMode(spec.VolumeMode, path.Child("volumeMode"), errors);
        if (spec.DataSource is { } dataSource)
        {
            ValidateDataSource(dataSource.Name, dataSource.Kind, dataSource.ApiGroup, path.Child("dataSource"), errors);
        }

        if (spec.DataSourceRef is { } dataSourceRef)
        {
            ValidateDataSource(dataSourceRef.Name, dataSourceRef.Kind, dataSourceRef.ApiGroup, path.Child("dataSourceRef"), errors);
        }

        if (!string.IsNullOrEmpty(spec.VolumeAttributesClassName))
        {
            StorageValidation.ValidateClassName(spec.VolumeAttributesClassName, path.Child("volumeAttributesClassName"), errors);
        }
    }

    protected override void ValidateUpdate(V1PersistentVolumeClaim obj, V1PersistentVolumeClaim old, List<FieldError> errors)
    {
        Validate(obj, errors);
        var spec = obj.Spec ?? new V1PersistentVolumeClaimSpec();
        var oldSpec = old.Spec ?? new V1PersistentVolumeClaimSpec();
        var compared = SemanticEquality.Clone(spec);
        var oldCompared = SemanticEquality.Clone(oldSpec);

        // The volume controller sets the volume name, once.
        if (string.IsNullOrEmpty(oldSpec.VolumeName))
        {
            oldCompared.VolumeName = compared.VolumeName;
        }

        var annotations = obj.Metadata?.Annotations ?? new Dictionary<string, string>();
        var oldAnnotations = old.Metadata?.Annotations ?? new Dictionary<string, string>();
        var oldBetaClass = oldAnnotations.TryGetValue(BetaStorageClassAnnotation, out var a) ? a : null;
        var betaClass = annotations.TryGetValue(BetaStorageClassAnnotation, out var b) ? b : null;
        if (oldBetaClass is not null && oldSpec.StorageClassName is null && spec.StorageClassName == oldBetaClass
            && (betaClass is null || betaClass == oldBetaClass))
        {
            // The class moves from the beta annotation into the spec.
            compared.StorageClassName = null;
        }
        else
        {
            if (betaClass != oldBetaClass)
            {
                errors.Add(FieldErrors.Immutable(FieldPath.Of("metadata", "annotations", BetaStorageClassAnnotation), betaClass ?? ""));
            }

            // A claim made without a class may be given one (the default class, come later).
            if (spec.StorageClassName is not null && oldSpec.StorageClassName is null && (oldBetaClass is null || spec.StorageClassName == oldBetaClass))
            {
                compared.StorageClassName = oldCompared.StorageClassName;
            }
        }

        // A bound claim's storage request may change (grow, as checked below), and any claim's attributes class.
        if (obj.Status?.Phase == "Bound" && compared.Resources?.Requests is { } requests)
        {
            if (StorageValidation.Storage(oldSpec.Resources?.Requests) is { } oldRequest)
            {
                requests["storage"] = oldRequest;
            }
            else
            {
                requests.Remove("storage");
            }
        }

        compared.VolumeAttributesClassName = oldCompared.VolumeAttributesClassName;
        if (!SemanticEquality.AreEqual(compared, oldCompared))
        {
            errors.Add(FieldErrors.Forbidden(Spec,
                "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n" +
                SpecDiff.Describe("core.PersistentVolumeClaimSpec", oldCompared, compared)));
        }

        // kube's recovery from a failed expansion: a request may shrink back, but not to the capacity the volume has.
        var size = StorageValidation.Storage(spec.Resources?.Requests)?.ToDecimal() ?? 0;
        var oldSize = StorageValidation.Storage(oldSpec.Resources?.Requests)?.ToDecimal() ?? 0;
        var capacity = StorageValidation.Storage(old.Status?.Capacity)?.ToDecimal() ?? 0;
        if (size < oldSize && size <= capacity)
        {
            errors.Add(FieldErrors.Forbidden(FieldPath.Of("spec", "resources", "requests", "storage"), "field can not be less than status.capacity"));
        }

        if (spec.VolumeMode != oldSpec.VolumeMode)
        {
            errors.Add(FieldErrors.Immutable(FieldPath.Of("volumeMode"), spec.VolumeMode));
        }

        if (oldSpec.VolumeAttributesClassName is not null && spec.VolumeAttributesClassName != oldSpec.VolumeAttributesClassName)
        {
            if (spec.VolumeAttributesClassName is null)
            {
                errors.Add(FieldErrors.Forbidden(Spec.Child("volumeAttributesClassName"), "update from non-nil value to nil is forbidden"));
            }
            else if (spec.VolumeAttributesClassName.Length == 0)
            {
                errors.Add(FieldErrors.Forbidden(Spec.Child("volumeAttributesClassName"), "update from non-nil value to an empty string is forbidden"));
            }
        }
    }

    /// <summary>kube's <c>ValidatePersistentVolumeClaimStatusUpdate</c>.</summary>
    protected override void ValidateStatusUpdate(V1PersistentVolumeClaim obj, V1PersistentVolumeClaim old, List<FieldError> errors)
    {
        if (obj.Spec?.AccessModes is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(FieldPath.Of("Spec", "accessModes")));
        }

        var capacity = FieldPath.Of("status", "capacity");
        foreach (var (name, quantity) in (obj.Status?.Capacity ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            StorageValidation.ValidateBasic(quantity, capacity.Key(name), errors);
        }
    }

    /// <summary>kube's <c>validateDataSource</c> and the shared part of <c>validateDataSourceRef</c>.</summary>
    private static void ValidateDataSource(string? name, string? kind, string? apiGroup, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldErrors.Required(path.Child("name")));
        }

        if (string.IsNullOrEmpty(kind))
        {
            errors.Add(FieldErrors.Required(path.Child("kind")));
        }

        if (string.IsNullOrEmpty(apiGroup))
        {
            if (kind != "PersistentVolumeClaim")
            {
                errors.Add(FieldErrors.Invalid(path, kind ?? "", "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
            }
        }
        else
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(apiGroup).Select(m => FieldErrors.Invalid(path.Child("apiGroup"), apiGroup, m)));
        }
    }
}
