using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Api.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// Reads a request body as JSON. kubectl sends JSON for most verbs, including server-side apply
/// whose content type says YAML, and sometimes no content type at all (<c>PUT …/scale</c>);
/// typed-client commands of kubectl 1.32+ send Kubernetes protobuf, decoded here into the same JSON.
/// </summary>
public static class RequestBody
{
    public static async Task<JsonNode> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith(KubernetesProtobuf.MediaType, StringComparison.OrdinalIgnoreCase) == true)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            try
            {
                return KubernetesProtobuf.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            }
            catch (FormatException ex)
            {
                throw ApiException.BadRequest($"the body of the request could not be decoded as {KubernetesProtobuf.MediaType}: {ex.Message}");
            }
        }

        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false)
                ?? throw ApiException.BadRequest("the request body is null");
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"couldn't get version/kind; json parse error: {ex.Message}");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadAsync(context).ConfigureAwait(false) as JsonObject
        ?? throw ApiException.BadRequest("the request body must be a JSON object");
}
