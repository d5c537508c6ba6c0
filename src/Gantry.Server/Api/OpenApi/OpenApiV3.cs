using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Registry.CustomResources;

namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// The OpenAPI v3 endpoints, all <c>application/json</c>:
/// <c>GET /openapi/v3</c> answers <see cref="Index"/>;
/// <c>GET /openapi/v3/{path}</c> (e.g. <c>/openapi/v3/apis/apps/v1</c>) answers <see cref="Find"/>'s body, or 404.
/// When the request's <c>hash</c> query matches <see cref="OpenApiV3Document.Hash"/> the answer may be cached
/// forever (<c>Cache-Control: public, immutable</c>); otherwise send <c>Cache-Control: no-cache, private</c>.
/// The documents are generated once, on first use (about a second: reflection plus reading the model docs),
/// so a server may touch <see cref="Index"/> at start-up.
/// </summary>
public static class OpenApiV3
{
    public const string ContentType = "application/json";

    private static readonly Lazy<Dictionary<string, OpenApiV3Document>> Documents = new(() =>
        OpenApiV3Generator.GenerateAll().ToDictionary(d => d.Path, StringComparer.Ordinal));

    private static readonly Lazy<byte[]> IndexBody = new(() =>
    {
        var paths = new JsonObject();
        foreach (var document in Documents.Value.Values)
        {
            paths[document.Path] = new JsonObject { ["serverRelativeURL"] = document.ServerRelativeUrl };
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["paths"] = paths });
    });

    private static readonly ConditionalWeakTable<CustomResourceTypeSet, byte[]> CustomIndexes = [];

    /// <summary>The index: every group version's document path and its hash-qualified URL.</summary>
    public static byte[] Index => IndexBody.Value;

    /// <summary>The index with the custom resources' group versions after the built-in ones.</summary>
    public static byte[] IndexWith(CustomResourceTypeSet custom) =>
        custom.Entries.Count == 0 ? Index : CustomIndexes.GetValue(custom, set =>
        {
            var index = JsonNode.Parse(Index)!.AsObject();
            var paths = index["paths"]!.AsObject();
            foreach (var document in CustomResourceOpenApi.Of(set).Values)
            {
                paths[document.Path] = new JsonObject { ["serverRelativeURL"] = document.ServerRelativeUrl };
            }

            return JsonSerializer.SerializeToUtf8Bytes(index);
        });

    /// <summary>The document at <paramref name="path"/>, a built-in group version's or a custom one's; null for neither.</summary>
    public static OpenApiV3Document? Find(string path, CustomResourceTypeSet custom) =>
        Find(path) ?? CustomResourceOpenApi.Of(custom).GetValueOrDefault(path.Trim('/'));

    /// <summary>
    /// The document at <paramref name="path"/> (<c>api/v1</c>, <c>apis/apps/v1</c>; no leading slash, no query),
    /// or null when no served group version has that path.
    /// </summary>
    public static OpenApiV3Document? Find(string path) => Documents.Value.GetValueOrDefault(path.Trim('/'));
}
