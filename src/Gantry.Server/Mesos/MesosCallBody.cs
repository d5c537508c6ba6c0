using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Mesos;

/// <summary>
/// The body of a call to one of Mesos' v1 HTTP APIs, read as the master reads it: in the form its <c>Content-Type</c>
/// names, JSON or the bytes of the API's Call message, into that message (so a field of the wrong type refuses it, and
/// what the message lacks is dropped), with the master's refusals for anything else.
/// </summary>
public static class MesosCallBody
{
    /// <summary>The call as its JSON form, or null and the refusal.</summary>
    public static async Task<(JsonObject? Body, MesosCallError? Error)> ReadAsync(HttpRequest request, MessageDescriptor call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is null)
        {
            return (null, new MesosCallError(400, "Expecting 'Content-Type' to be present"));
        }

        var contentType = MesosMediaType.OfContent(request.ContentType);
        if (contentType is null)
        {
            return (null, new MesosCallError(415, $"Expecting 'Content-Type' of {MesosMediaType.Json} or {MesosMediaType.Protobuf}"));
        }

        if (contentType == MesosMediaType.Protobuf)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            try
            {
                return (MesosProtobuf.Read(call, buffer.ToArray()), null);
            }
            catch (FormatException)
            {
                // Mesos' master says no more than this of a body its protobuf parser refused.
                return (null, new MesosCallError(400, "Failed to parse body into Call protobuf"));
            }
        }

        JsonObject? json;
        try
        {
            json = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException ex)
        {
            return (null, new MesosCallError(400, $"Failed to parse body into JSON: {ex.Message}"));
        }

        if (json is null)
        {
            return (null, new MesosCallError(400, "Failed to parse body into JSON: the body is not a JSON object"));
        }

        try
        {
            return (MesosProtobuf.Canonical(call, json), null);
        }
        catch (FormatException ex)
        {
            return (null, new MesosCallError(400, $"Failed to convert JSON into Call protobuf: {ex.Message}"));
        }
    }
}
