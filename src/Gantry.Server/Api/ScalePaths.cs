using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Server.Api;

/// <summary>
/// Where an object keeps what its Scale shows: <c>spec.replicas</c> and <c>status.replicas</c> for the built-in
/// workloads (their selector is <c>spec.selector</c>), or the paths a CustomResourceDefinition's scale subresource names
/// (<c>specReplicasPath</c>, <c>statusReplicasPath</c>, and <c>labelSelectorPath</c> to a selector already in text).
/// </summary>
internal sealed class ScalePaths
{
    private readonly string[] _specReplicas;
    private readonly string[] _statusReplicas;
    private readonly string[]? _labelSelector;
    private readonly bool _custom;

    private ScalePaths(string specReplicas, string statusReplicas, string? labelSelector, bool custom)
    {
        _specReplicas = Split(specReplicas);
        _statusReplicas = Split(statusReplicas);
        _labelSelector = labelSelector is null ? null : Split(labelSelector);
        _custom = custom;
    }

    public static ScalePaths BuiltIn { get; } = new(".spec.replicas", ".status.replicas", null, custom: false);

    /// <summary>The paths of <paramref name="type"/>, a custom resource's from the scale subresource of its version.</summary>
    public static ScalePaths Of(ResourceType type) =>
        type.Custom?.Version.Subresources?.Scale is { } scale
            ? new ScalePaths(scale.SpecReplicasPath, scale.StatusReplicasPath, scale.LabelSelectorPath, custom: true)
            : BuiltIn;

    public int SpecReplicas(JsonObject obj) => Integer(Find(obj, _specReplicas));

    public int StatusReplicas(JsonObject obj) => Integer(Find(obj, _statusReplicas));

    /// <summary>
    /// The selector in text, for a custom resource (empty without a <c>labelSelectorPath</c>, as kube leaves it); null for
    /// the built-in workloads, whose selector is an object.
    /// </summary>
    public Func<JsonObject, string>? LabelSelector => !_custom
        ? null
        : obj => _labelSelector is not null && Find(obj, _labelSelector) is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : "";

    /// <summary>Sets the wanted replicas, making the objects on the way as needed.</summary>
    public void SetSpecReplicas(JsonObject obj, int replicas)
    {
        var parent = obj;
        foreach (var member in _specReplicas[..^1])
        {
            if (parent[member] is not JsonObject child)
            {
                parent[member] = child = [];
            }

            parent = child;
        }

        parent[_specReplicas[^1]] = replicas;
    }

    private static string[] Split(string path) => path.TrimStart('.').Split('.');

    private static JsonNode? Find(JsonObject obj, string[] path)
    {
        JsonNode? node = obj;
        foreach (var member in path)
        {
            node = node is JsonObject o ? o[member] : null;
        }

        return node;
    }

    private static int Integer(JsonNode? value) =>
        value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<int>(out var replicas) ? replicas : 0;
}
