using System.Text.Json.Nodes;
using Gantry.Core.Validation;
using Gantry.Server.Security;

namespace Gantry.Server.Api.Reviews;

/// <summary>
/// What the self, local and cluster access reviews share: the check that a spec asks about exactly one of
/// <c>resourceAttributes</c> and <c>nonResourceAttributes</c> (kube's ValidateSubjectAccessReviewSpec and its
/// self-review twin), the check that metadata is empty, and the status with the decision <see cref="AccessReview"/> gives.
/// </summary>
internal static class AccessReviewSpec
{
    public static readonly FieldPath SpecPath = FieldPath.Root.Child("spec");

    public static JsonObject? Resource(JsonObject? spec) => spec?["resourceAttributes"] as JsonObject;

    public static JsonObject? NonResource(JsonObject? spec) => spec?["nonResourceAttributes"] as JsonObject;

    /// <summary>kube's messages; the value of a missing pointer, which apimachinery prints as the string "null".</summary>
    public static void ValidateAttributes(JsonObject? spec, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var (resource, nonResource) = (Resource(spec), NonResource(spec));
        if (resource is not null && nonResource is not null)
        {
            errors.Add(FieldErrors.InvalidStruct(SpecPath.Child("nonResourceAttributes"), "cannot be specified in combination with resourceAttributes"));
        }
        else if (resource is null && nonResource is null)
        {
            errors.Add(FieldErrors.Invalid(SpecPath.Child("resourceAttributes"), "null", "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
    }

    /// <summary>
    /// Whether the metadata is empty as kube's validation compares it with a zero ObjectMeta: null, empty strings and
    /// empty maps and lists count as unset, and so do <c>managedFields</c> and the fields named in <paramref name="allowed"/>.
    /// </summary>
    public static bool IsEmptyMetadata(JsonNode? metadata, params string[] allowed) =>
        metadata is not JsonObject fields || fields.All(f => f.Key == "managedFields" || allowed.Contains(f.Key) || IsUnset(f.Value));

    /// <summary>
    /// The review's status for <paramref name="user"/> on a spec that passed <see cref="ValidateAttributes"/>:
    /// <c>allowed</c>, and the authorizer's <c>reason</c> when it gives one (<c>denied</c> is never set: no authorizer
    /// here denies outright).
    /// </summary>
    public static JsonObject Status(AccessReview access, RequestUser user, JsonObject spec)
    {
        ArgumentNullException.ThrowIfNull(access);
        var decision = Resource(spec) is { } resource
            ? access.Decide(user, new RequestAttributes(
                Text(resource, "verb") ?? "", Text(resource, "group") ?? "", Text(resource, "resource") ?? "",
                Text(resource, "subresource"), Text(resource, "namespace"), Text(resource, "name")))
            : access.DecidePath(user, Text(NonResource(spec)!, "verb") ?? "", Text(NonResource(spec)!, "path") ?? "");
        var status = new JsonObject { ["allowed"] = decision.IsAllowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return status;
    }

    /// <summary>An attribute, empty counting as absent, as an unset Go string.</summary>
    public static string? Text(JsonObject attributes, string name)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return attributes[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
    }

    private static bool IsUnset(JsonNode? value) => value switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        JsonValue v => v.TryGetValue<string>(out var s) && s.Length == 0,
        _ => false,
    };
}
