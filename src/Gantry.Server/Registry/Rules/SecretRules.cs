using System.Text;
using System.Text.Json;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// Secrets: <c>stringData</c> merged into <c>data</c> (as the v1 conversion does), type Opaque by default,
/// and <c>ValidateSecret</c>'s key, size and per-type checks; the type and an immutable secret's data
/// cannot change.
/// </summary>
public sealed class SecretRules() : ResourceRules<V1Secret>(ResourceCatalog.Get("", "secrets"))
{
    public const int MaxSize = 1024 * 1024;

    private static readonly FieldPath Data = FieldPath.Of("data");

    protected override void Default(V1Secret obj)
    {
        if (string.IsNullOrEmpty(obj.Type))
        {
            obj.Type = "Opaque";
        }

        if (obj.StringData is { Count: > 0 } stringData)
        {
            obj.Data ??= new Dictionary<string, byte[]>();
            foreach (var (key, value) in stringData)
            {
                obj.Data[key] = Encoding.UTF8.GetBytes(value ?? "");
            }
        }

        obj.StringData = null;
    }

    protected override void Validate(V1Secret obj, List<FieldError> errors)
    {
        var data = obj.Data ?? new Dictionary<string, byte[]>();
        long totalSize = 0;
        foreach (var (key, value) in data)
        {
            errors.AddRange(FormatValidation.IsConfigMapKey(key).Select(m => FieldErrors.Invalid(Data.Key(key), key, m)));
            totalSize += value?.Length ?? 0;
        }

        if (totalSize > MaxSize)
        {
            errors.Add(FieldErrors.TooLong(Data, MaxSize));
        }

        switch (obj.Type)
        {
            case "kubernetes.io/service-account-token":
                var annotations = obj.Metadata?.Annotations;
                if (annotations is null || !annotations.TryGetValue("kubernetes.io/service-account.name", out var account) || string.IsNullOrEmpty(account))
                {
                    errors.Add(FieldErrors.Required(FieldPath.Of("metadata", "annotations").Key("kubernetes.io/service-account.name")));
                }

                break;
            case "kubernetes.io/dockercfg":
                RequireJson(data, ".dockercfg", errors);
                break;
            case "kubernetes.io/dockerconfigjson":
                RequireJson(data, ".dockerconfigjson", errors);
                break;
            case "kubernetes.io/basic-auth":
                if (!data.ContainsKey("username") && !data.ContainsKey("password"))
                {
                    errors.Add(FieldErrors.Required(Data.Key("username")));
                    errors.Add(FieldErrors.Required(Data.Key("password")));
                }

                break;
            case "kubernetes.io/ssh-auth":
                if (!data.TryGetValue("ssh-privatekey", out var key) || key is not { Length: > 0 })
                {
                    errors.Add(FieldErrors.Required(Data.Key("ssh-privatekey")));
                }

                break;
            case "kubernetes.io/tls":
                if (!data.ContainsKey("tls.crt"))
                {
                    errors.Add(FieldErrors.Required(Data.Key("tls.crt")));
                }

                if (!data.ContainsKey("tls.key"))
                {
                    errors.Add(FieldErrors.Required(Data.Key("tls.key")));
                }

                break;
        }
    }

    protected override void ValidateUpdate(V1Secret obj, V1Secret old, List<FieldError> errors)
    {
        if (obj.Type != old.Type)
        {
            errors.Add(FieldErrors.Immutable(FieldPath.Of("type"), obj.Type ?? ""));
        }

        if (old.Immutable == true)
        {
            if (obj.Immutable != true)
            {
                errors.Add(FieldErrors.Forbidden(FieldPath.Of("immutable"), "field is immutable when `immutable` is set"));
            }

            if (!SemanticEquality.AreEqual(obj.Data, old.Data))
            {
                errors.Add(FieldErrors.Forbidden(Data, "field is immutable when `immutable` is set"));
            }
        }

        Validate(obj, errors);
    }

    private static void RequireJson(IDictionary<string, byte[]> data, string key, List<FieldError> errors)
    {
        if (!data.TryGetValue(key, out var content))
        {
            errors.Add(FieldErrors.Required(Data.Key(key)));
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(content ?? []);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldErrors.Invalid(Data.Key(key), "<secret contents redacted>", "json: cannot unmarshal into Go value of type map[string]interface {}"));
            }
        }
        catch (JsonException e)
        {
            errors.Add(FieldErrors.Invalid(Data.Key(key), "<secret contents redacted>", e.Message));
        }
    }
}
