using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;

namespace Gantry.Server.Api;

/// <summary>
/// A request that fails with a Kubernetes <c>Status</c>. Thrown anywhere below the HTTP edge and
/// turned into the response body there, so every error reaches the client in the ecosystem's form.
/// </summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
            ["details"] = Details?.DeepClone(),
            ["code"] = Code,
        };
        if (Reason.Length == 0)
        {
            // kube's StatusReasonUnknown is the empty reason, which its Status leaves out.
            status.Remove("reason");
        }

        return status;
    }

    /// <summary>
    /// An error that is no Status of its own, as kube's <c>ErrorToAPIStatus</c> answers it: a 500 of unknown reason with
    /// the error as the message (kubectl prints <c>Error from server: ...</c>).
    /// </summary>
    public static ApiException Unknown(string error) => new(500, "", error);

    /// <summary>This error as kube's <c>NewInternalError</c> wraps one that is no Status of its own; a Status as it is.</summary>
    public ApiException AsInternalError() => Reason.Length == 0 && Code == 500 ? InternalError(Message) : this;

    /// <summary>
    /// This refusal as a request for <paramref name="served"/> hears it, where the registry named the type the objects are
    /// stored as (<paramref name="stored"/>, of another group): <c>events.events.k8s.io "x" not found</c>, not
    /// <c>events "x" not found</c>. Unchanged when both are of one group.
    /// </summary>
    public ApiException AsServed(ResourceType stored, ResourceType served)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(served);
        if (stored.Group == served.Group)
        {
            return this;
        }

        var message = Message.StartsWith(stored.QualifiedPlural + " \"", StringComparison.Ordinal)
            ? served.QualifiedPlural + Message[stored.QualifiedPlural.Length..]
            : Message.StartsWith(stored.Kind + " \"", StringComparison.Ordinal)
                ? $"{served.Kind}.{served.Group}" + Message[stored.Kind.Length..]
                : Message;
        var details = Details?.DeepClone().AsObject();
        if (details is not null && details.ContainsKey("group"))
        {
            details["group"] = served.Group.Length == 0 ? null : served.Group;
        }

        return new ApiException(Code, Reason, message, details);
    }

    private static JsonObject Describe(ResourceType type, string? name) => new()
    {
        ["name"] = name,
        ["group"] = type.Group.Length == 0 ? null : type.Group,
        ["kind"] = type.Plural,
    };

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedPlural} \"{name}\" not found", Describe(type, name));

    public static ApiException NotFound(string message) => new(404, "NotFound", message);

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedPlural} \"{name}\" already exists", Describe(type, name));

    public static ApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Describe(type, name));

    public static ApiException Conflict(ResourceType type, string name, string detail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": {detail}", Describe(type, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>kube's <c>NewInternalError</c>: the error as the message and as the one cause.</summary>
    public static ApiException InternalError(string error) =>
        new(500, "InternalError", $"Internal error occurred: {error}", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = error }) });

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException ServiceUnavailable(string message) => new(503, "ServiceUnavailable", message);

    /// <summary>403 Forbidden; without a name (a list, a create) the message names only the resource, as the apiserver's does.</summary>
    public static ApiException Forbidden(ResourceType type, string? name, string detail) =>
        new(403, "Forbidden",
            string.IsNullOrEmpty(name) ? $"{type.QualifiedPlural} is forbidden: {detail}" : $"{type.QualifiedPlural} \"{name}\" is forbidden: {detail}",
            Describe(type, string.IsNullOrEmpty(name) ? null : name));

    /// <summary>
    /// 429 TooManyRequests (<c>NewTooManyRequests</c>): try again later, after <paramref name="retryAfterSeconds"/> when
    /// it is not 0; <paramref name="causes"/> are (reason, message) pairs.
    /// </summary>
    public static ApiException TooManyRequests(string message, int retryAfterSeconds, params (string Reason, string Message)[] causes)
    {
        var details = new JsonObject();
        if (causes.Length > 0)
        {
            details["causes"] = new JsonArray(causes.Select(c => (JsonNode?)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message }).ToArray());
        }

        if (retryAfterSeconds > 0)
        {
            details["retryAfterSeconds"] = retryAfterSeconds;
        }

        return new(429, "TooManyRequests", message, details);
    }

    /// <summary>504 Timeout (<c>NewTimeoutError</c>): the server gave up, and suggests when to retry.</summary>
    public static ApiException Timeout(string message, int retryAfterSeconds) =>
        new(504, "Timeout", $"Timeout: {message}", new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds });

    public static ApiException Gone(string message) => new(410, "Expired", message);

    /// <summary>A patch of a media type the resource does not take; custom resources take no strategic merge patch.</summary>
    public static ApiException UnsupportedMediaType(string contentType, bool strategicMerge = true) =>
        new(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
            + $"application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(strategicMerge ? ", application/strategic-merge-patch+json" : "")} (got {contentType})");

    /// <summary>422 Invalid, built so that kubectl prints <c>The Pod "x" is invalid: field: message</c>.</summary>
    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(type.Group, type.Kind, name, errors);

    /// <summary>422 Invalid for any kind, also one that is not stored, such as the <c>PodLogOptions</c> of a log request.</summary>
    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Message, ["field"] = e.Field });
        }

        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = group.Length == 0 ? null : group,
            ["kind"] = kind,
            ["causes"] = causes,
        };
        var summary = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
        // The kind qualified by its group, as apimachinery's GroupKind prints it: Deployment.apps "web" is invalid.
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {summary}", details);
    }
}
