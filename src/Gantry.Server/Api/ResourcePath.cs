using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Resources.Conversion;
using Gantry.Server.Registry;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Registry.CustomResources.Conversion;

namespace Gantry.Server.Api;

/// <summary>
/// A request path under <c>/api</c> or <c>/apis</c> resolved to a resource: which type, which
/// namespace (null for all namespaces or cluster-scoped), which object and which subresource.
/// <see cref="Type"/> is the type as it is stored; <see cref="Served"/> the version the request reads and writes,
/// which differs for a version served by conversion (autoscaling/v1 HorizontalPodAutoscalers).
/// </summary>
public sealed record ResourcePath(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    private readonly ResourceType? _served;

    /// <summary>The type at the version the request named.</summary>
    public ResourceType Served
    {
        get => _served ?? Type;
        init => _served = value;
    }

    /// <summary>The type whose columns a table shows: a custom resource's version has printer columns of its own.</summary>
    public ResourceType PrintedType => Served.Custom is not null ? Served : Type;

    /// <summary>The conversion between the stored objects and the request's version; null when they are the same.</summary>
    public IVersionConversion? Conversion => Served.Conversion;

    /// <summary>Whether showing an object in the request's version may fail: a custom resource's conversion webhook may.</summary>
    public bool ConversionMayFail => Conversion is WebhookConversion;

    /// <summary>A stored object as the request's version shows it (a Status, say, is left as it is).</summary>
    public async ValueTask<JsonObject> ToServedAsync(JsonObject stored, CancellationToken cancellationToken) =>
        Conversion switch
        {
            null => stored,
            _ when !IsOfType(stored, Type) => stored,
            ConversionFunctions functions => functions.FromStorage(stored),
            var conversion => (await conversion.FromStorageAsync([stored], cancellationToken).ConfigureAwait(false))[0],
        };

    /// <summary>A list's stored objects as the request's version shows them, converted together (one webhook call).</summary>
    public ValueTask<IReadOnlyList<JsonObject>> ToServedAsync(IReadOnlyList<JsonObject> stored, CancellationToken cancellationToken) =>
        Conversion is { } conversion && stored.Count > 0 ? conversion.FromStorageAsync(stored, cancellationToken) : ValueTask.FromResult(stored);

    /// <summary>
    /// A body as it is stored: converted when it is of the request's version (or names none), as it is otherwise —
    /// kube decodes a body by the version it names, so a body of the stored version is welcome on either URL. A body a
    /// conversion webhook converts is first decoded and checked in its own version, as kube reads it before its storage
    /// converts it: a malformed one is refused in the words of the version written and never reaches the webhook.
    /// </summary>
    public ValueTask<JsonObject> ToStoredAsync(JsonObject body, WriteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Served.Custom is not null && Text(body, "apiVersion") is null or "")
        {
            // A custom resource's body is read as unstructured, its version from the body alone, and then refused for
            // not being the URL's (kube's create and update handlers); a built-in's missing version is the URL's.
            throw ApiException.BadRequest($"the API version in the data () does not match the expected API version ({Served.ApiVersion})");
        }

        if (Conversion is not { } conversion || (Text(body, "apiVersion") is { Length: > 0 } named ? named : Served.ApiVersion) != Served.ApiVersion)
        {
            return ValueTask.FromResult(body);
        }

        return ConversionMayFail
            ? conversion.ToStorageAsync(CustomResourceConversion.DecodeWritten(Served, body, options), cancellationToken)
            : conversion.ToStorageAsync(body, cancellationToken);
    }

    // A custom resource stored in an earlier storage version is of its type all the same, and shows in the served one.
    private static bool IsOfType(JsonObject obj, ResourceType type) =>
        Text(obj, "kind") == type.Kind && (type.Custom is not null || Text(obj, "apiVersion") == type.ApiVersion);

    private static string? Text(JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Parses the segments after the group version, e.g. <c>namespaces/default/pods/web/log</c>.</summary>
    public static ResourcePath? Parse(string group, string version, ReadOnlySpan<string> rest, CustomResourceTypes? custom = null)
    {
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && !IsNamespaceSubresource(group, rest))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length == 0)
        {
            return null;
        }

        ResourceType served, type;
        if (ResourceCatalog.Find(group, version, rest[0]) is { } builtIn)
        {
            (served, type) = (builtIn, ResourceCatalog.StorageOf(builtIn));
        }
        else if (custom?.Current.Find(group, version, rest[0]) is { } entry)
        {
            (served, type) = (entry.Served, entry.Stored);
        }
        else
        {
            return null;
        }

        if (ns is not null && !type.Namespaced)
        {
            return null;
        }

        return rest.Length switch
        {
            1 => new ResourcePath(type, ns, null, null) { Served = served },
            2 => new ResourcePath(type, ns, rest[1], null) { Served = served },
            3 when served.HasSubresource(rest[2]) => new ResourcePath(type, ns, rest[1], rest[2]) { Served = served },
            // The proxy subresource carries the backend's path after it (ProxySubresource reads it from the request).
            > 3 when rest[2] == "proxy" && type.HasSubresource("proxy") => new ResourcePath(type, ns, rest[1], rest[2]),
            _ => null,
        };
    }

    // /api/v1/namespaces/{name}/status and /finalize address the namespace itself, not its content.
    private static bool IsNamespaceSubresource(string group, ReadOnlySpan<string> rest) =>
        group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize";
}
