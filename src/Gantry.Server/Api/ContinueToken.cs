using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api;

/// <summary>
/// The opaque <c>continue</c> token of a paged list: the key after which the next page starts and
/// the revision of the first page. Pages are served from the cache's current state.
/// </summary>
public static class ContinueToken
{
    public static string Encode(string lastKey, long revision) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["start"] = lastKey, ["rv"] = revision }.ToJsonString()));

    public static (string LastKey, long Revision) Decode(string token)
    {
        try
        {
            var node = JsonNode.Parse(Base64Url.DecodeFromChars(token))!;
            return (node["start"]!.GetValue<string>(), node["rv"]!.GetValue<long>());
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiException.BadRequest("continue key is not valid: invalid continue token");
        }
    }
}
