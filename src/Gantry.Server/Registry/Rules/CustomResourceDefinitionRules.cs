using Gantry.Core.Resources;
using Gantry.Server.Registry.CustomResources;
using Gantry.Core.Validation;
using Gantry.Server.Registry.Rules.CustomResourceDefinitions;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// CustomResourceDefinitions (apiextensions.k8s.io/v1), as kube's apiextensions strategy treats them (kube 1.32's
/// words): v1 defaulting, <c>ValidateCustomResourceDefinition</c> on create, <c>…Update</c> on update and the status
/// strategy's <c>ValidateUpdateCustomResourceDefinitionStatus</c> on status writes. The registry already splits spec
/// from status (an update keeps the stored status, a status write the stored spec) and counts generations.
/// </summary>
public sealed class CustomResourceDefinitionRules()
    : ResourceRules<V1CustomResourceDefinition>(ResourceCatalog.Get("apiextensions.k8s.io", "customresourcedefinitions"))
{
    public const string ApiApprovedAnnotation = "api-approved.kubernetes.io";

    private static readonly FieldPath StoredVersions = FieldPath.Of("status", "storedVersions");

    /// <summary>kube's v1 <c>SetDefaults_CustomResourceDefinition</c>, and the stored versions its strategy starts from on create.</summary>
    protected override void Default(V1CustomResourceDefinition obj)
    {
        if (obj.Spec is { } spec)
        {
            if (spec.Names is { } names)
            {
                if (string.IsNullOrEmpty(names.Singular))
                {
                    names.Singular = (names.Kind ?? "").ToLowerInvariant();
                }

                if (string.IsNullOrEmpty(names.ListKind) && !string.IsNullOrEmpty(names.Kind))
                {
                    names.ListKind = names.Kind + "List";
                }
            }

            spec.Conversion ??= new V1CustomResourceConversion { Strategy = CustomResourceDefinitionSpecValidation.NoneConverter };
            if (spec.Conversion.Webhook?.ClientConfig?.Service is { Port: null } service)
            {
                service.Port = 443;
            }
        }

        if (obj.Status?.StoredVersions is not { Count: > 0 } && StorageVersion(obj) is { } storage)
        {
            obj.Status ??= new V1CustomResourceDefinitionStatus();
            obj.Status.StoredVersions = [storage];
        }
    }

    /// <summary>
    /// kube's strategy records a new storage version among the stored versions on an update of the CRD. The registry has
    /// already put back the stored status on such an update; a status write, which brings its own status, records nothing.
    /// </summary>
    protected override void PrepareForUpdate(V1CustomResourceDefinition obj, V1CustomResourceDefinition old)
    {
        if (StorageVersion(obj) is not { } storage || !SemanticEquality.AreEqual(obj.Status, old.Status))
        {
            return;
        }

        obj.Status ??= new V1CustomResourceDefinitionStatus();
        var stored = obj.Status.StoredVersions ?? [];
        if (!stored.Contains(storage))
        {
            obj.Status.StoredVersions = [.. stored, storage];
        }
    }

    protected override void Validate(V1CustomResourceDefinition obj, List<FieldError> errors)
    {
        var name = obj.Metadata?.Name ?? "";
        var plural = obj.Spec?.Names?.Plural ?? "";
        var group = obj.Spec?.Group ?? "";
        if (name.Length > 0 && name != plural + "." + group)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("metadata", "name"), name, "must be spec.names.plural+\".\"+spec.group"));
        }

        CustomResourceDefinitionSpecValidation.Validate(obj.Spec, CustomResourceDefinitionValidationOptions.Create, errors);
        ValidateStatus(obj, errors);
        ValidateStoredVersions(obj, errors);
        ValidateApiApproval(obj, null, errors);
        ValidatePreserveUnknownFields(obj, null, errors);
    }

    protected override void ValidateUpdate(V1CustomResourceDefinition obj, V1CustomResourceDefinition old, List<FieldError> errors)
    {
        var options = UpdateOptions(old);
        CustomResourceDefinitionSpecValidation.Validate(obj.Spec, options, errors);
        var spec = FieldPath.Of("spec");
        if (options.RequireImmutableNames)
        {
            Immutable(spec.Child("scope"), obj.Spec?.Scope, old.Spec?.Scope, errors);
            Immutable(spec.Child("names").Child("kind"), obj.Spec?.Names?.Kind, old.Spec?.Names?.Kind, errors);
        }

        // The group and the plural make up the name, which never changes.
        Immutable(spec.Child("group"), obj.Spec?.Group, old.Spec?.Group, errors);
        Immutable(spec.Child("names").Child("plural"), obj.Spec?.Names?.Plural, old.Spec?.Names?.Plural, errors);
        ValidateStatus(obj, errors);
        ValidateStoredVersions(obj, errors);
        ValidateApiApproval(obj, old, errors);
        ValidatePreserveUnknownFields(obj, old, errors);
    }

    /// <summary>kube's <c>ValidateUpdateCustomResourceDefinitionStatus</c>: only the accepted names are checked.</summary>
    protected override void ValidateStatusUpdate(V1CustomResourceDefinition obj, V1CustomResourceDefinition old, List<FieldError> errors) =>
        ValidateStatus(obj, errors);

    private static string? StorageVersion(V1CustomResourceDefinition obj) => obj.Spec?.Versions?.FirstOrDefault(v => v.Storage)?.Name;

    /// <summary>kube's update options: rules the stored CRD already breaks are not enforced on its update.</summary>
    private static CustomResourceDefinitionValidationOptions UpdateOptions(V1CustomResourceDefinition old)
    {
        var versions = old.Spec?.Versions ?? [];
        var reviewVersions = old.Spec?.Conversion?.Webhook?.ConversionReviewVersions;
        return new CustomResourceDefinitionValidationOptions
        {
            RequireRecognizedConversionReviewVersion = old.Spec?.Conversion is null || reviewVersions is not { Count: > 0 }
                || reviewVersions.Any(v => v is "v1" or "v1beta1"),
            RequireImmutableNames = DefinitionConditions.IsTrue(old, DefinitionConditions.Established),
            RequireOpenApiSchema = versions.All(v => v.Schema?.OpenAPIV3Schema is not null),
            RequireValidPropertyType = !CustomResourceDefinitionSpecValidation.HasSchemaWith(versions, s => s.Type.Length > 0 && !IsOpenApiType(s.Type)),
            RequireStructuralSchema = !versions.Any(v => v.Schema?.OpenAPIV3Schema is { } s && StructuralSchemaValidation.IsNonStructural(JsonSchema.From(s))),
            RequireAtomicSetType = !CustomResourceDefinitionSpecValidation.HasSchemaWith(versions, OpenApiSchemaValidation.IsNonAtomicSet),
            RequireMapListKeysMapSetValidation = !CustomResourceDefinitionSpecValidation.HasSchemaWith(versions, OpenApiSchemaValidation.HasInvalidMapListKeys),
        };
    }

    private static bool IsOpenApiType(string type) => type is "array" or "boolean" or "integer" or "number" or "object" or "string";

    private static void Immutable(FieldPath path, string? value, string? old, List<FieldError> errors)
    {
        if ((value ?? "") != (old ?? ""))
        {
            errors.Add(FieldErrors.Immutable(path, value ?? ""));
        }
    }

    /// <summary>kube's <c>ValidateCustomResourceDefinitionStatus</c>.</summary>
    private static void ValidateStatus(V1CustomResourceDefinition obj, List<FieldError> errors) =>
        CustomResourceDefinitionSpecValidation.ValidateNames(obj.Status?.AcceptedNames, FieldPath.Of("status", "acceptedNames"), errors);

    /// <summary>
    /// kube's <c>ValidateCustomResourceDefinitionStoredVersions</c>: the storage version is always among the stored
    /// versions, and a version that ever stored objects stays in spec.versions until a migration drops it from there.
    /// </summary>
    private static void ValidateStoredVersions(V1CustomResourceDefinition obj, List<FieldError> errors)
    {
        var stored = obj.Status?.StoredVersions;
        if (stored is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Invalid(StoredVersions, GoValue.Strings(stored), "must have at least one stored version"));
            return;
        }

        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < stored.Count; i++)
        {
            remaining[stored[i] ?? ""] = i;
        }

        foreach (var version in obj.Spec?.Versions ?? [])
        {
            var name = version.Name ?? "";
            var found = remaining.Remove(name);
            if (version.Storage && !found)
            {
                errors.Add(FieldErrors.Invalid(StoredVersions, GoValue.Strings(stored), "must have the storage version " + name));
            }
        }

        foreach (var (name, index) in remaining.OrderBy(p => p.Value))
        {
            errors.Add(FieldErrors.Invalid(StoredVersions.Index(index), name, "must appear in spec.versions"));
        }
    }

    /// <summary>kube's <c>validateAPIApproval</c>: groups under k8s.io and kubernetes.io need the approval annotation.</summary>
    private static void ValidateApiApproval(V1CustomResourceDefinition obj, V1CustomResourceDefinition? old, List<FieldError> errors)
    {
        var group = obj.Spec?.Group ?? "";
        if (!(group is "k8s.io" or "kubernetes.io" || group.EndsWith(".k8s.io", StringComparison.Ordinal) || group.EndsWith(".kubernetes.io", StringComparison.Ordinal)))
        {
            return;
        }

        var (state, reason) = ApprovalState(obj.Metadata?.Annotations);
        if ((old is not null && ApprovalState(old.Metadata?.Annotations).State == state) || state is Approval.Approved or Approval.Bypassed)
        {
            return;
        }

        var path = FieldPath.Of("metadata", "annotations").Key(ApiApprovedAnnotation);
        errors.Add(state == Approval.Missing
            ? FieldErrors.Required(path, reason)
            : FieldErrors.Invalid(path, obj.Metadata?.Annotations?[ApiApprovedAnnotation] ?? "", reason));
    }

    private enum Approval
    {
        Invalid,
        Approved,
        Bypassed,
        Missing,
    }

    private static (Approval State, string Reason) ApprovalState(IDictionary<string, string>? annotations)
    {
        var annotation = annotations?.TryGetValue(ApiApprovedAnnotation, out var value) == true ? value ?? "" : "";
        if (annotation.Length == 0)
        {
            return (Approval.Missing, $"protected groups must have approval annotation \"{ApiApprovedAnnotation}\", see https://github.com/kubernetes/enhancements/pull/1111");
        }

        if (annotation.StartsWith("unapproved", StringComparison.Ordinal))
        {
            return (Approval.Bypassed, $"not approved: {GoValue.Quote(annotation)}");
        }

        if (Uri.TryCreate(annotation, UriKind.Absolute, out var url) && url.Host.Length > 0 && url.Scheme.Length > 0)
        {
            return (Approval.Approved, $"approved in {annotation}");
        }

        return (Approval.Invalid, $"protected groups must have approval annotation \"{ApiApprovedAnnotation}\" with either a URL or a reason starting with \"unapproved\", see https://github.com/kubernetes/enhancements/pull/1111");
    }

    /// <summary>kube's <c>validatePreserveUnknownFields</c>: v1 CRDs prune, unless they were stored preserving before.</summary>
    private static void ValidatePreserveUnknownFields(V1CustomResourceDefinition obj, V1CustomResourceDefinition? old, List<FieldError> errors)
    {
        if (old?.Spec?.PreserveUnknownFields != true && obj.Spec?.PreserveUnknownFields == true)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("spec", "preserveUnknownFields"), true,
                "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
        }
    }
}
