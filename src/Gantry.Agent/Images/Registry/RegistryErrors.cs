using System.Text.Json;

namespace Gantry.Agent.Images.Registry;

/// <summary>The distribution spec's error body, <c>{"errors":[{"code":…,"message":…}]}</c>, turned into one line.</summary>
internal static class RegistryErrors
{
    /// <summary>"manifest unknown: manifest unknown" and the like; null when the body is not such a document.</summary>
    public static string? Describe(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var parts = errors.EnumerateArray()
                .Select(e => (Code: e.TryGetProperty("code", out var c) ? c.GetString() : null, Message: e.TryGetProperty("message", out var m) ? m.GetString() : null))
                .Select(e => string.Join(": ", new[] { e.Code?.ToLowerInvariant().Replace('_', ' '), e.Message }.Where(p => !string.IsNullOrEmpty(p))))
                .Where(p => p.Length > 0)
                .ToList();
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
