using System.Text.Json.Nodes;

namespace Gantry.Server.Marathon;

/// <summary>A refusal in Marathon's form: a status and a JSON body with a <c>message</c> (and, for 422, the <c>details</c>).</summary>
public sealed class MarathonException(int status, JsonObject body) : Exception(body?["message"]?.GetValue<string>())
{
    public int Status { get; } = status;

    public JsonObject Body { get; } = body ?? [];

    public static MarathonException WithMessage(int status, string message) => new(status, new JsonObject { ["message"] = message });

    public static MarathonException Invalid(IEnumerable<(string Path, string Error)> violations)
    {
        var details = new JsonArray();
        foreach (var group in violations.GroupBy(v => v.Path, StringComparer.Ordinal))
        {
            details.Add(new JsonObject
            {
                ["path"] = group.Key,
                ["errors"] = new JsonArray([.. group.Select(v => (JsonNode?)JsonValue.Create(v.Error))]),
            });
        }

        return new MarathonException(422, new JsonObject { ["message"] = "Object is not valid", ["details"] = details });
    }

    public static MarathonException UnknownApp(string appId) => WithMessage(404, $"App '{appId}' does not exist");
}
