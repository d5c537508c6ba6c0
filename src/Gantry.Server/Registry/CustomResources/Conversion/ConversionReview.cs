using System.Text.Json.Nodes;

namespace Gantry.Server.Registry.CustomResources.Conversion;

/// <summary>
/// The ConversionReview a conversion webhook is sent and answers (apiextensions.k8s.io/v1 or v1beta1), with kube's checks
/// of the answer: a v1 answer must be a v1 ConversionReview of the request's uid (v1beta1 answers were never checked for
/// either, so they are not), and its result a success.
/// </summary>
public static class ConversionReview
{
    public const string Group = "apiextensions.k8s.io";
    public const string Kind = "ConversionReview";
    public const string V1 = "v1";
    public const string V1Beta1 = "v1beta1";

    /// <summary>The review version sent: the first of the definition's that Gantry speaks, as kube picks it.</summary>
    public static string? VersionFor(IEnumerable<string>? reviewVersions) => reviewVersions?.FirstOrDefault(v => v is V1 or V1Beta1);

    public static JsonObject Request(string reviewVersion, string uid, string desiredApiVersion, IEnumerable<JsonObject> objects) => new()
    {
        ["kind"] = Kind,
        ["apiVersion"] = $"{Group}/{reviewVersion}",
        ["request"] = new JsonObject
        {
            ["uid"] = uid,
            ["desiredAPIVersion"] = desiredApiVersion,
            ["objects"] = new JsonArray([.. objects.Select(o => (JsonNode?)o.DeepClone())]),
        },
    };

    /// <summary>The converted objects of a successful answer to the review of <paramref name="uid"/>, or why there are none.</summary>
    public static (JsonArray? Objects, string? Error) ConvertedObjects(string reviewVersion, string uid, JsonNode? answer)
    {
        var review = answer as JsonObject;
        if (reviewVersion == V1)
        {
            var (apiVersion, kind) = (Text(review?["apiVersion"]) ?? "", Text(review?["kind"]) ?? "");
            if (apiVersion != $"{Group}/{V1}" || kind != Kind)
            {
                return (null, $"expected webhook response of {Group}/{V1}, Kind={Kind}, got {GroupVersionKind(apiVersion, kind)}");
            }
        }

        if (review?["response"] is not JsonObject response)
        {
            return (null, "no response provided");
        }

        if (reviewVersion == V1 && Text(response["uid"]) is var answered && answered != uid)
        {
            return (null, $"expected response.uid=\"{uid}\", got \"{answered}\"");
        }

        var result = response["result"] as JsonObject;
        if (Text(result?["status"]) is var status && status != "Success")
        {
            return Text(result?["message"]) is { Length: > 0 } message
                ? (null, message)
                : (null, $"response.result.status was '{status}', not 'Success'");
        }

        return response["convertedObjects"] switch
        {
            null => ([], null),
            JsonArray objects => (objects, null),
            var other => (null, $"json: cannot unmarshal {other.GetValueKind().ToString().ToLowerInvariant()} into Go struct field ConversionResponse.response.convertedObjects of type []runtime.RawExtension"),
        };
    }

    /// <summary>An apiVersion and kind as Go prints a GroupVersionKind (<c>group/version, Kind=kind</c>; <c>/v1</c> for the core group).</summary>
    public static string GroupVersionKind(string apiVersion, string kind) =>
        $"{(apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion : "/" + apiVersion)}, Kind={kind}";

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
