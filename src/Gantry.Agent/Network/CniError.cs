using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Agent.Network;

/// <summary>The error a CNI plugin prints on stdout when it fails: <c>{"code": …, "msg": …, "details": …}</c>.</summary>
internal sealed record CniError(int Code, string Message, string? Details)
{
    /// <summary>Reads a plugin's error object; false when the output is not one (a crash, a panic trace).</summary>
    public static bool TryParse(string stdout, out CniError error)
    {
        error = new CniError(0, "", null);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(stdout);
        }
        catch (JsonException)
        {
            return false;
        }

        if (node is not JsonObject obj
            || obj["code"] is not JsonValue code || !code.TryGetValue(out int number)
            || obj["msg"] is not JsonValue msg || !msg.TryGetValue(out string? text))
        {
            return false;
        }

        var details = obj["details"] is JsonValue d && d.TryGetValue(out string? detailText) && detailText.Length > 0 ? detailText : null;
        error = new CniError(number, text, details);
        return true;
    }
}
