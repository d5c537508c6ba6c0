using System.Text.Json;

namespace Gantry.Server.Security;

/// <summary>
/// The ConfigMaps and Secrets a pod names, where the node authorizer's graph finds them: volumes (configMap,
/// secret, projected sources), <c>env[].valueFrom</c> and <c>envFrom</c> of every init, regular and ephemeral
/// container, and <c>imagePullSecrets</c>.
/// </summary>
public sealed class PodReferences
{
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    private readonly HashSet<string> _configMaps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);

    private PodReferences()
    {
    }

    public IReadOnlySet<string> ConfigMaps => _configMaps;

    public IReadOnlySet<string> Secrets => _secrets;

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
        if (holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty(property, out var name) && name.ValueKind == JsonValueKind.String &&
            name.GetString() is { Length: > 0 } text)
        {
            names.Add(text);
        }
    }

    private static JsonElement Child(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var child) ? child : default;

    private static JsonElement.ArrayEnumerator Items(JsonElement element, string property) =>
        (Child(element, property) is { ValueKind: JsonValueKind.Array } array ? array : EmptyArray).EnumerateArray();
}
