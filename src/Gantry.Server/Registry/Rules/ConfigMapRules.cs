using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>ConfigMaps: <c>ValidateConfigMap</c>'s key and size checks; an immutable ConfigMap keeps its data.</summary>
public sealed class ConfigMapRules() : ResourceRules<V1ConfigMap>(ResourceCatalog.Get("", "configmaps"))
{
    private static readonly FieldPath Data = FieldPath.Of("data");
    private static readonly FieldPath BinaryData = FieldPath.Of("binaryData");

    protected override void Validate(V1ConfigMap obj, List<FieldError> errors)
    {
        long totalSize = 0;
        var binary = obj.BinaryData ?? new Dictionary<string, byte[]>();
        foreach (var (key, value) in obj.Data ?? new Dictionary<string, string>())
        {
            errors.AddRange(FormatValidation.IsConfigMapKey(key).Select(m => FieldErrors.Invalid(Data.Key(key), key, m)));
            if (binary.ContainsKey(key))
            {
                errors.Add(FieldErrors.Invalid(Data.Key(key), key, "duplicate of key present in binaryData"));
            }

            totalSize += System.Text.Encoding.UTF8.GetByteCount(value ?? "");
        }

        foreach (var (key, value) in binary)
        {
            errors.AddRange(FormatValidation.IsConfigMapKey(key).Select(m => FieldErrors.Invalid(BinaryData.Key(key), key, m)));
            totalSize += value?.Length ?? 0;
        }

        if (totalSize > SecretRules.MaxSize)
        {
            // The apiserver reports the whole object, with an empty field path.
            errors.Add(FieldErrors.TooLong(FieldPath.Root, SecretRules.MaxSize));
        }
    }

    protected override void ValidateUpdate(V1ConfigMap obj, V1ConfigMap old, List<FieldError> errors)
    {
        if (old.Immutable == true)
        {
            const string detail = "field is immutable when `immutable` is set";
            if (obj.Immutable != true)
            {
                errors.Add(FieldErrors.Forbidden(FieldPath.Of("immutable"), detail));
            }

            if (!SemanticEquality.AreEqual(obj.Data, old.Data))
            {
                errors.Add(FieldErrors.Forbidden(Data, detail));
            }

            if (!SemanticEquality.AreEqual(obj.BinaryData, old.BinaryData))
            {
                errors.Add(FieldErrors.Forbidden(BinaryData, detail));
            }
        }

        Validate(obj, errors);
    }
}
