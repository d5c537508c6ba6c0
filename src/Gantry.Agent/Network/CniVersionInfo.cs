using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Agent.Network;

/// <summary>A plugin's answer to the VERSION command: the spec versions it can speak.</summary>
internal sealed record CniVersionInfo(string CniVersion, IReadOnlyList<string> SupportedVersions)
{
    /// <exception cref="FormatException">The output is not a version answer.</exception>
    public static CniVersionInfo Parse(string json)
    {
        try
        {
            var obj = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("a CNI version answer must be a JSON object");
            var supported = (obj["supportedVersions"] as JsonArray ?? [])
                .Select(v => (string?)v ?? throw new FormatException("a supported CNI version must be a string"))
                .ToList();
            return new CniVersionInfo((string?)obj["cniVersion"] ?? "", supported);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new FormatException($"not a CNI version answer: {ex.Message}", ex);
        }
    }
}
