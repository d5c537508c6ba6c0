using System.Text.Json.Nodes;
using Gantry.Core.Validation;

namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// Validation of a custom resource against its CRD version's schema, as kube's customresource strategy does on create
/// (<c>pkg/registry/customresource/strategy.go</c>): the OpenAPI schema (kube-openapi, its errors mapped to field
/// errors by <c>apiserver/validation/validation.go</c>), embedded resources' TypeMeta and ObjectMeta, then the
/// uniqueness of list-type set and map items, then the <c>x-kubernetes-validations</c> rules (<see cref="ValidationRules"/>)
/// unless an error before them means the object lacks the shape its rules were written for.
/// </summary>
public static class StructuralValidation
{
    /// <summary>Every error of <paramref name="obj"/>, a whole custom resource, in kube's order.</summary>
    /// <param name="old">
    /// The object updated (null on create), read only when needed: for the rules' <c>oldSelf</c>, and to drop the schema's
    /// errors on values the update kept (<see cref="SchemaRatchet"/>).
    /// </param>
    /// <param name="statusOnly">A status write: the schema's errors outside the status are not its own (kube's status strategy).</param>
    public static IReadOnlyList<FieldError> Validate(JsonObject obj, StructuralSchema schema, Func<JsonObject>? old = null, bool statusOnly = false)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(schema);
        var oldObject = old is null ? null : new Lazy<JsonObject>(old);
        var result = OpenApiValidator.Validate(schema, obj, "");
        var schemaErrors = result.Errors.Select(e => (Code: e.Code, Error: ToFieldError(e, null))).Where(e => !statusOnly || InStatus(e.Error)).ToList();
        if (oldObject is not null && schemaErrors.Count > 0)
        {
            var oldValue = oldObject.Value;
            if (SchemaRatchet.Unchanged(obj, oldValue, schema))
            {
                schemaErrors.Clear();
            }
            else
            {
                schemaErrors.RemoveAll(e => SchemaRatchet.Ratcheted(e.Error.Field, obj, oldValue, schema));
            }
        }

        var errors = new List<FieldError>(schemaErrors.Select(e => e.Error));
        errors.AddRange(ValidateEmbeddedResources(obj, schema).Where(e => !statusOnly || InStatus(e)));
        var listErrors = ValidateListSetsAndMaps(obj, schema).Where(e => !statusOnly || InStatus(e)).ToList();
        // kube reports duplicates on an update only when the old object had none.
        if (listErrors.Count > 0 && (oldObject is null || ValidateListSetsAndMaps(oldObject.Value, schema).Count == 0))
        {
            errors.AddRange(listErrors);
        }

        if (ValidationRules.Any(schema))
        {
            // kube's hasBlockingErr: a wrong type, a missing required field, a value not allowed or too large.
            var blocking = schemaErrors.Any(e => e.Code is OpenApiErrorCode.InvalidType)
                || errors.Any(e => e.Type is FieldErrorType.NotSupported or FieldErrorType.Required or FieldErrorType.TooLong or FieldErrorType.TooMany);
            errors.AddRange(blocking
                ? [new FieldError(FieldErrorType.Invalid, "<nil>", "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation", "null")]
                : ValidationRules.Validate(schema, obj, oldObject?.Value));
        }

        return errors;
    }

    /// <summary>
    /// The errors that leave <paramref name="obj"/> without the types its schema gives it, the one check a body gets in
    /// the version it was written before its conversion webhook sees it; its other errors are the write's, which has the
    /// object updated that ratcheting needs.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateTypes(JsonObject obj, StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(schema);
        return OpenApiValidator.Validate(schema, obj, "").Errors.Where(e => e.Code is OpenApiErrorCode.InvalidType).Select(e => ToFieldError(e, null)).ToList();
    }

    private static bool InStatus(FieldError error) =>
        error.Field == "status" || error.Field.StartsWith("status.", StringComparison.Ordinal) || error.Field.StartsWith("status[", StringComparison.Ordinal);

    /// <summary>
    /// kube-openapi's validation of <paramref name="value"/> (<c>ValidateCustomResource</c>): paths as kube names them
    /// (<c>spec.replicas</c>, <c>spec.items[0].name</c>, additionalProperties values as <c>spec.map.key</c>), under
    /// <paramref name="path"/> when given (<c>status</c> for a status write, which kube checks against the status
    /// property's schema). Errors about no one field (anyOf, oneOf, allOf, not, a number out of its format's range)
    /// are reported on <paramref name="path"/>, or on <c>&lt;nil&gt;</c> as kube prints a missing path.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateSchema(JsonNode? value, StructuralSchema schema, FieldPath? path = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var result = OpenApiValidator.Validate(schema, value, "");
        return result.Errors.Select(e => ToFieldError(e, path)).ToList();
    }

    /// <summary>apiVersion, kind and metadata of every <c>x-kubernetes-embedded-resource</c> object (not the root's).</summary>
    public static IReadOnlyList<FieldError> ValidateEmbeddedResources(JsonObject obj, StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<FieldError>();
        EmbeddedResourceValidation.Validate(FieldPath.Root, obj, schema, errors);
        return errors;
    }

    /// <summary>
    /// <c>Duplicate value</c> for each repeated item of a list-type set and each repeated key of a list-type map. On
    /// update kube reports these only when the old object had none (a ratchet the caller applies).
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateListSetsAndMaps(JsonObject obj, StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<FieldError>();
        ListTypeValidation.Validate(FieldPath.Root, schema, obj, errors);
        return errors;
    }

    /// <summary>kubeOpenAPIResultToFieldErrors: which field error each kube-openapi error becomes.</summary>
    private static FieldError ToFieldError(OpenApiError error, FieldPath? root)
    {
        var rootText = root?.ToString() ?? "<nil>";
        if (error.Code == OpenApiErrorCode.Plain)
        {
            return new FieldError(FieldErrorType.Invalid, rootText, error.Message, "");
        }

        var name = error.Name.StartsWith('.') ? error.Name[1..] : error.Name;
        var field = error.Name.Length == 0 || error.Name == "." ? rootText : (root ?? FieldPath.Root).Child(name).ToString();
        switch (error.Code)
        {
            case OpenApiErrorCode.Required:
                return new FieldError(FieldErrorType.Required, field, "", "");
            case OpenApiErrorCode.Enum:
                var supported = error.Values!.Select(v => JsonValues.KindOf(v) == JsonKind.String ? JsonValues.GetString(v!) : JsonValues.Marshal(v));
                return FieldErrors.NotSupported(FieldPath.Root.Child(field), error.Value, supported);
            case OpenApiErrorCode.TooLong:
                var maxLength = error.Valid ?? -1;
                return new FieldError(FieldErrorType.TooLong, field,
                    maxLength >= 0 ? $"may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}" : "value is too long", "<value omitted>");
            case OpenApiErrorCode.MaxItems or OpenApiErrorCode.TooManyProperties:
                var max = error.Valid ?? -1;
                return new FieldError(FieldErrorType.TooMany, field,
                    max >= 0 ? $"must have at most {max} {(max == 1 ? "item" : "items")}" : "has too many items",
                    error.Value is long actual and >= 0 ? actual : FieldError.OmittedValue);
            default:
                // InvalidType becomes field.TypeInvalid in kube, which prints as Invalid value (reason FieldValueTypeInvalid).
                return new FieldError(FieldErrorType.Invalid, field, error.Message, error.Value ?? "");
        }
    }
}
