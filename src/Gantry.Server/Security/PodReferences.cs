using System.Text.Json;

namespace Gantry.Server.Security;

/// <summary>
/// The ConfigMaps, Secrets and PersistentVolumeClaims a pod names, where the node authorizer's graph finds them:
/// volumes (configMap, secret, projected sources, persistentVolumeClaim, and the claim of an ephemeral volume, named
/// after the pod and the volume), <c>env[].valueFrom</c> and <c>envFrom</c> of every init, regular and ephemeral
/// container, and <c>imagePullSecrets</c>.
/// </summary>
public sealed class PodReferences
{
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    private readonly HashSet<string> _configMaps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _claims = new(StringComparer.Ordinal);

    private PodReferences()
    {
    }

    public IReadOnlySet<string> ConfigMaps => _configMaps;

    public IReadOnlySet<string> Secrets => _secrets;

    public IReadOnlySet<string> Claims => _claims;

    public static PodReferences Of(JsonElement pod)
    {
        var references = new PodReferences();
        if (!pod.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            return references;
        }

        foreach (var pullSecret in Items(spec, "imagePullSecrets"))
        {
            Add(references._secrets, pullSecret, "name");
        }

        foreach (var volume in Items(spec, "volumes"))
        {
            Add(references._configMaps, Child(volume, "configMap"), "name");
            Add(references._secrets, Child(volume, "secret"), "secretName");
            Add(references._claims, Child(volume, "persistentVolumeClaim"), "claimName");
            if (Child(volume, "ephemeral").ValueKind == JsonValueKind.Object && Text(Child(pod, "metadata"), "name") is { } podName &&
                Text(volume, "name") is { } name)
            {
                references._claims.Add($"{podName}-{name}");
            }

            foreach (var source in Items(Child(volume, "projected"), "sources"))
            {
                Add(references._configMaps, Child(source, "configMap"), "name");
                Add(references._secrets, Child(source, "secret"), "name");
            }
        }

        foreach (var list in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var container in Items(spec, list))
            {
                foreach (var env in Items(container, "env"))
                {
                    var from = Child(env, "valueFrom");
                    Add(references._configMaps, Child(from, "configMapKeyRef"), "name");
                    Add(references._secrets, Child(from, "secretKeyRef"), "name");
                }

                foreach (var envFrom in Items(container, "envFrom"))
                {
                    Add(references._configMaps, Child(envFrom, "configMapRef"), "name");
                    Add(references._secrets, Child(envFrom, "secretRef"), "name");
                }
            }
        }

        return references;
    }

    private static void Add(HashSet<string> names, JsonElement holder, string property)
    {
        if (Text(holder, property) is { } text)
        {
            names.Add(text);
        }
    }

    private static string? Text(JsonElement holder, string property) =>
        Child(holder, property) is { ValueKind: JsonValueKind.String } name && name.GetString() is { Length: > 0 } text ? text : null;

    private static JsonElement Child(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var child) ? child : default;

    private static JsonElement.ArrayEnumerator Items(JsonElement element, string property) =>
        (Child(element, property) is { ValueKind: JsonValueKind.Array } array ? array : EmptyArray).EnumerateArray();
}
