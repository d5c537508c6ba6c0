using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>Writes API answers: JSON bodies, Status errors and Kubernetes' <c>Warning</c> headers.</summary>
public static class HttpResponses
{
    public const string Json = "application/json";

    public static Task WriteJsonAsync(HttpContext context, int status, JsonNode body, IEnumerable<string>? warnings = null) =>
        WriteBytesAsync(context, status, Encoding.UTF8.GetBytes(body.ToJsonString()), Json, warnings);

    public static async Task WriteBytesAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, string contentType, IEnumerable<string>? warnings = null)
    {
        AddWarnings(context, warnings);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes the failure; a suggested retry delay is also a <c>Retry-After</c> header, which clients wait on.</summary>
    public static Task WriteStatusAsync(HttpContext context, ApiException error)
    {
        if (error.Details?["retryAfterSeconds"]?.GetValue<int>() is > 0 and var seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(context, error.Code, error.ToStatus());
    }

    /// <summary>
    /// Adds <c>Warning: 299 - "text"</c> headers. kubectl silently drops a warning whose inner quotes
    /// are not backslash-escaped, so they are.
    /// </summary>
    public static void AddWarnings(HttpContext context, IEnumerable<string>? warnings)
    {
        if (warnings is null)
        {
            return;
        }

        foreach (var warning in warnings)
        {
            var escaped = warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
            context.Response.Headers.Append("Warning", $"299 - \"{escaped}\"");
        }
    }
}
