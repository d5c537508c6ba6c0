using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Gantry.Core.Resources;
using Gantry.Server.Admission.Policies;
using Gantry.Server.Api;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Admission.Webhooks;

/// <summary>
/// Kube's MutatingAdmissionWebhook and ValidatingAdmissionWebhook plugins. Mutating webhooks are called one after the
/// other, each given the object as the ones before it patched it (and, for <c>reinvocationPolicy: IfNeeded</c>, called
/// once more when a later one changed it); validating webhooks are called all at once on the object as it will be
/// stored. A refusal fails the write with the webhook's Status; a webhook that cannot be called or answers wrongly
/// fails it with an internal error, unless its <c>failurePolicy</c> is <c>Ignore</c>. ValidatingAdmissionPolicies judge
/// the request before the validating webhooks, as kube's plugins are ordered.
/// </summary>
public sealed partial class WebhookAdmission(
    WebhookConfigurations configurations, WebhookMatching matching, WebhookClient client, ILogger<WebhookAdmission> logger,
    PolicyAdmission? policies = null)
{
    private const string JsonPatchType = "JSONPatch";

    /// <summary>
    /// Whether a mutating webhook's rules name the operation on the resource (its other conditions are judged on the
    /// object): writes no webhook can see make no copies for them.
    /// </summary>
    public bool MutatesAny(ResourceType type, string operation, string? subresource) =>
        WebhookMatching.AnyMayMatch(configurations.Mutating, type, operation, subresource);

    /// <summary>Whether a validating webhook's or a bound policy's rules name the operation on the resource (see <see cref="MutatesAny"/>).</summary>
    public bool ValidatesAny(ResourceType type, string operation, string? subresource) =>
        WebhookMatching.AnyMayMatch(configurations.Validating, type, operation, subresource)
        || policies?.MayMatch(type, operation, subresource) == true;

    /// <summary>Calls the mutating webhooks that match; returns the object as they patched it, or null when none changed it.</summary>
    /// <exception cref="ApiException">A webhook refused the write, or failed with <c>failurePolicy: Fail</c>.</exception>
    public async Task<JsonObject?> MutateAsync(AdmissionAttributes attributes, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        var hooks = configurations.Mutating;
        var objects = new VersionedObjects();
        var current = attributes;
        var reinvocable = new List<int>();
        var lastChange = -1;
        for (var i = 0; i < hooks.Count; i++)
        {
            if (matching.MatchedVersion(hooks[i], current) is not { } version)
            {
                continue;
            }

            if (hooks[i].ReinvokeIfNeeded)
            {
                reinvocable.Add(i);
            }

            if (await MutateOnceAsync(hooks[i], version, current, objects, warnings, cancellationToken).ConfigureAwait(false) is { } patched)
            {
                current = current with { Object = patched };
                lastChange = i;
            }
        }

        // Called again, once, when a webhook after it changed the object (kube's reinvocation).
        foreach (var i in reinvocable.Where(i => i < lastChange))
        {
            if (matching.MatchedVersion(hooks[i], current) is { } version
                && await MutateOnceAsync(hooks[i], version, current, objects, warnings, cancellationToken).ConfigureAwait(false) is { } patched)
            {
                current = current with { Object = patched };
            }
        }

        return ReferenceEquals(current, attributes) ? null : current.Object;
    }

    /// <summary>Applies the policies that match, then calls the validating webhooks that match, all at once.</summary>
    /// <exception cref="ApiException">A policy refused the write; a webhook refused it, or failed with <c>failurePolicy: Fail</c>: the first, in their order.</exception>
    public async Task ValidateAsync(AdmissionAttributes attributes, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        if (policies is not null)
        {
            await policies.ValidateAsync(attributes, warnings, cancellationToken).ConfigureAwait(false);
        }

        if (WebhookConfigurations.IsExempt(attributes.Type))
        {
            return;
        }

        var hooks = configurations.Validating.Select(h => (Hook: h, Version: matching.MatchedVersion(h, attributes))).Where(h => h.Version is not null).ToList();
        if (hooks.Count == 0)
        {
            return;
        }

        var objects = new VersionedObjects();
        var verdicts = await Task.WhenAll(hooks.Select(h => ValidateOnceAsync(h.Hook, h.Version!, attributes, objects, cancellationToken))).ConfigureAwait(false);
        foreach (var warning in verdicts.SelectMany(v => v.Warnings))
        {
            warnings.Add(warning);
        }

        if (verdicts.FirstOrDefault(v => v.Refusal is not null).Refusal is { } refusal)
        {
            throw refusal;
        }
    }

    private async Task<JsonObject?> MutateOnceAsync(
        Webhook hook, ResourceType version, AdmissionAttributes attributes, VersionedObjects objects, ICollection<string> warnings,
        CancellationToken cancellationToken)
    {
        AdmissionResponse response;
        try
        {
            if (await CallAsync(hook, version, attributes, objects, mutating: true, cancellationToken).ConfigureAwait(false) is not { } called)
            {
                return null;
            }

            response = called;
            if (response.Patch is not null && response.PatchType != JsonPatchType)
            {
                throw new WebhookCallException(hook.Name, $"unsupported patch type \"{response.PatchType}\"");
            }
        }
        catch (WebhookCallException e) when (!hook.FailClosed)
        {
            LogFailedOpen(hook.Name, e.Message);
            return null;
        }
        catch (WebhookCallException e)
        {
            throw ApiException.InternalError(e.Message);
        }

        foreach (var warning in response.Warnings)
        {
            warnings.Add(warning);
        }

        if (!response.Allowed)
        {
            throw Refusal(hook, response.Status);
        }

        if (response.Patch is null)
        {
            return null;
        }

        if (attributes.Object is null)
        {
            throw ApiException.InternalError($"admission webhook \"{hook.Name}\" attempted to modify the object, which is not supported for this operation");
        }

        // Patched in the version the webhook was sent, and stored in the stored one.
        var sent = (await objects.InVersionAsync(version, attributes.Type, attributes.Object, cancellationToken).ConfigureAwait(false))!;
        JsonObject patched;
        try
        {
            var operations = JsonNode.Parse(response.Patch) as JsonArray ?? throw new PatchException("a JSON Patch must be an array of operations");
            patched = JsonPatch.Apply(sent, operations).AsObject();
        }
        catch (Exception e) when (e is PatchException or JsonException or InvalidOperationException)
        {
            throw ApiException.InternalError(e.Message);
        }

        return JsonNode.DeepEquals(patched, sent)
            ? null
            : await AdmissionReview.ToStorageAsync(version, attributes.Type, patched, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(ApiException? Refusal, IReadOnlyList<string> Warnings)> ValidateOnceAsync(
        Webhook hook, ResourceType version, AdmissionAttributes attributes, VersionedObjects objects, CancellationToken cancellationToken)
    {
        try
        {
            var response = await CallAsync(hook, version, attributes, objects, mutating: false, cancellationToken).ConfigureAwait(false);
            return response is null ? (null, []) : (response.Allowed ? null : Refusal(hook, response.Status), response.Warnings);
        }
        catch (ApiException e)
        {
            return (e, []);
        }
        catch (WebhookCallException e) when (!hook.FailClosed)
        {
            LogFailedOpen(hook.Name, e.Message);
            return (null, []);
        }
        catch (WebhookCallException e)
        {
            return (ApiException.InternalError(e.Message), []);
        }
    }

    /// <summary>Calls the webhook with the request in <paramref name="version"/>; null when its match conditions leave it uncalled.</summary>
    private async Task<AdmissionResponse?> CallAsync(
        Webhook hook, ResourceType version, AdmissionAttributes attributes, VersionedObjects objects, bool mutating, CancellationToken cancellationToken)
    {
        var uid = Guid.NewGuid().ToString();
        var obj = await objects.InVersionAsync(version, attributes.Type, attributes.Object, cancellationToken).ConfigureAwait(false);
        var oldObj = await objects.InVersionAsync(version, attributes.Type, attributes.OldObject, cancellationToken).ConfigureAwait(false);
        var review = AdmissionReview.Request(hook, attributes, version, uid, obj, oldObj);
        var (matches, error) = hook.Conditions.Match(review["request"]!.AsObject(), cancellationToken);
        if (error is not null)
        {
            // kube's matcher: conditions that cannot tell skip the webhook under failurePolicy Ignore, and refuse the
            // request under Fail.
            LogConditionsFailed(hook.Name, error);
            return hook.FailClosed ? throw ApiException.Forbidden(attributes.Type, attributes.Name ?? "", error) : null;
        }

        if (!matches)
        {
            return null;
        }

        var answer = await client.PostAsync(hook, review, cancellationToken).ConfigureAwait(false);
        return AdmissionReview.Response(hook, mutating, uid, answer);
    }

    /// <summary>kube's <c>ToStatusErr</c>: the webhook's Status, at least a 400, its message led by who refused.</summary>
    public static ApiException Refusal(Webhook hook, JsonObject? status)
    {
        var code = status?["code"] is JsonValue value && value.TryGetValue<int>(out var given) && given >= 400 ? given : 400;
        var reason = Text(status?["reason"]) ?? "";
        var deniedBy = $"admission webhook \"{hook.Name}\" denied the request";
        var message = Text(status?["message"]) is { Length: > 0 } explanation ? $"{deniedBy}: {explanation}"
            : reason.Length > 0 ? $"{deniedBy}: {reason}"
            : $"{deniedBy} without explanation";
        return new ApiException(code, reason, message, status?["details"]?.DeepClone() as JsonObject);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed calling webhook {Webhook}, failing open: {Error}")]
    private partial void LogFailedOpen(string webhook, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed evaluating match conditions of webhook {Webhook}: {Error}")]
    private partial void LogConditionsFailed(string webhook, string error);
}
