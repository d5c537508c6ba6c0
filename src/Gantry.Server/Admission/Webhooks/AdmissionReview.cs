using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Security;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// The <c>admission.k8s.io</c> AdmissionReview a webhook is sent, and the checks kube's webhook client makes of the one
/// it answers (<c>VerifyAdmissionResponse</c>): the version sent, the request's uid, and a patch only from a mutating
/// webhook and only with its type.
/// </summary>
public static class AdmissionReview
{
    private const string Group = "admission.k8s.io";
    private const string Kind = "AdmissionReview";

    /// <summary>
    /// Who writes when the server writes itself: its controllers, as kube-controller-manager is named when it writes
    /// with its own credentials. Not a member of <c>system:masters</c>, so policies that trust masters do not pass them.
    /// </summary>
    private static readonly RequestUser Controllers = new("system:kube-controller-manager", [RequestUser.Authenticated]);

    /// <param name="version">The served version the webhook matched, in which it is sent the kind, resource and objects.</param>
    /// <param name="obj">The request's object in <paramref name="version"/>.</param>
    /// <param name="oldObj">The request's old object in <paramref name="version"/>.</param>
    public static JsonObject Request(Webhook hook, AdmissionAttributes attributes, ResourceType version, string uid, JsonObject? obj, JsonObject? oldObj) =>
        new()
        {
            ["apiVersion"] = $"{Group}/{hook.ReviewVersion}",
            ["kind"] = Kind,
            ["request"] = RequestOf(attributes, version, uid, obj, oldObj),
        };

    /// <summary>
    /// The request of a review (see <see cref="Request"/>); a ValidatingAdmissionPolicy's <c>request</c> variable is this
    /// without its uid and objects (kube's <c>CreateAdmissionRequest</c>).
    /// </summary>
    public static JsonObject RequestOf(AdmissionAttributes attributes, ResourceType version, string? uid, JsonObject? obj, JsonObject? oldObj)
    {
        var type = version;
        var (group, requestVersion) = WebhookMatching.RequestGroupVersion(attributes);
        // A subresource's requests are of its own kind (a Scale, an Eviction, PodExecOptions), a status write of the resource's.
        var kind = type.Subresources.FirstOrDefault(s => s.Name == attributes.Subresource) is { } own
            ? GroupVersion(own.Group, own.Version, "kind", own.Kind)
            : GroupVersion(type.Group, type.Version, "kind", type.Kind);
        // The request's own kind is of its own version, unless a subresource has a kind of its own.
        var requestKind = attributes.Subresource is null || kind["kind"]!.GetValue<string>() == type.Kind
            ? GroupVersion(group, requestVersion, "kind", type.Kind)
            : kind.DeepClone();
        var user = attributes.User ?? Controllers;
        var request = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = kind,
            ["resource"] = GroupVersion(type.Group, type.Version, "resource", type.Plural),
            ["requestKind"] = requestKind,
            ["requestResource"] = GroupVersion(group, requestVersion, "resource", type.Plural),
            ["name"] = attributes.Name,
            ["operation"] = attributes.Operation,
            ["userInfo"] = new JsonObject
            {
                ["username"] = user.Name,
                ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode?)g)]),
            },
            ["object"] = obj?.DeepClone(),
            ["oldObject"] = oldObj?.DeepClone(),
            ["dryRun"] = attributes.DryRun,
            ["options"] = attributes.Options?.DeepClone(),
        };
        if (type.Namespaced || attributes.Namespace is { Length: > 0 })
        {
            request["namespace"] = attributes.Namespace;
        }

        if (attributes.Subresource is { } subresource)
        {
            request["subResource"] = subresource;
            request["requestSubResource"] = subresource;
        }

        return request;
    }

    /// <summary>
    /// A stored object as <paramref name="version"/> shows it; a subresource's own object (a Scale, an Eviction), or one
    /// of the stored version, as it is. A custom resource stored in an earlier storage version is shown in this one too.
    /// </summary>
    public static async ValueTask<JsonObject?> InVersionAsync(ResourceType version, ResourceType stored, JsonObject? obj, CancellationToken cancellationToken) =>
        obj is not null && version.Conversion is { } conversion && Text(obj["kind"]) == stored.Kind
        && ((version.Group, version.Version) != (stored.Group, stored.Version) || (version.Custom is not null && Text(obj["apiVersion"]) != version.ApiVersion))
            ? (await conversion.FromStorageAsync([obj], cancellationToken).ConfigureAwait(false))[0]
            : obj;

    /// <summary>An object of <paramref name="version"/>, as a webhook patched it, as it is stored (see <see cref="InVersionAsync"/>).</summary>
    public static ValueTask<JsonObject> ToStorageAsync(ResourceType version, ResourceType stored, JsonObject obj, CancellationToken cancellationToken) =>
        version.Conversion is { } conversion && (version.Group, version.Version) != (stored.Group, stored.Version) && Text(obj["kind"]) == version.Kind
            ? conversion.ToStorageAsync(obj, cancellationToken)
            : ValueTask.FromResult(obj);

    private static JsonObject GroupVersion(string group, string version, string member, string value) =>
        new() { ["group"] = group, ["version"] = version, [member] = value };

    /// <summary>Reads a webhook's answer to the review of <paramref name="uid"/>.</summary>
    /// <exception cref="WebhookCallException">The answer is not a review of that request.</exception>
    public static AdmissionResponse Response(Webhook hook, bool mutating, string uid, JsonNode? answer)
    {
        if (answer is not JsonObject review || review["response"] is not JsonObject response)
        {
            throw Invalid(hook, "webhook response was absent");
        }

        // kube checks the v1 answer strictly; an answer to a v1beta1 review was never checked for its uid or kind.
        if (hook.ReviewVersion == Webhook.ReviewV1)
        {
            var answeredUid = Text(response["uid"]) ?? "";
            if (answeredUid != uid)
            {
                throw Invalid(hook, $"expected response.uid=\"{uid}\", got \"{answeredUid}\"");
            }

            var apiVersion = Text(review["apiVersion"]) ?? "";
            var kind = Text(review["kind"]) ?? "";
            if (apiVersion != $"{Group}/{Webhook.ReviewV1}" || kind != Kind)
            {
                throw Invalid(hook, $"expected webhook response of {Group}/v1, Kind=AdmissionReview, got {GroupVersionKind(apiVersion, kind)}");
            }
        }

        var patch = Text(response["patch"]);
        var patchType = Text(response["patchType"]);
        if (!mutating && patch is { Length: > 0 })
        {
            throw Invalid(hook, "validating webhook may not return response.patch");
        }

        if (!mutating && patchType is not null)
        {
            throw Invalid(hook, "validating webhook may not return response.patchType");
        }

        if (hook.ReviewVersion == Webhook.ReviewV1 && patch is { Length: > 0 } && patchType is null)
        {
            throw Invalid(hook, "webhook returned response.patch but not response.patchType");
        }

        if (hook.ReviewVersion == Webhook.ReviewV1 && patch is not { Length: > 0 } && patchType is not null)
        {
            throw Invalid(hook, "webhook returned response.patchType but not response.patch");
        }

        var allowed = response["allowed"] switch
        {
            null => false,
            JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
            _ => throw Invalid(hook, "response.allowed is not a boolean"),
        };
        return new AdmissionResponse(
            allowed,
            response["status"] as JsonObject,
            patch is { Length: > 0 } ? Base64(hook, patch) : null,
            patchType,
            response["warnings"] is JsonArray warnings ? [.. warnings.Select(Text).OfType<string>()] : []);
    }

    private static byte[] Base64(Webhook hook, string patch)
    {
        try
        {
            return Convert.FromBase64String(patch);
        }
        catch (FormatException e)
        {
            throw new WebhookCallException(hook.Name, "received invalid webhook response: response.patch is not base64: " + e.Message, e);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    // As Go prints a schema.GroupVersionKind.
    private static string GroupVersionKind(string apiVersion, string kind) =>
        apiVersion.Contains('/', StringComparison.Ordinal) ? $"{apiVersion}, Kind={kind}" : $"/{apiVersion}, Kind={kind}";

    private static WebhookCallException Invalid(Webhook hook, string reason) =>
        new(hook.Name, "received invalid webhook response: " + reason);
}
