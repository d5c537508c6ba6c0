using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validationOptions</c> for webhook configurations. A create demands everything; an update relaxes each rule
/// that the stored configuration already broke (it was stored under older rules, or by an older API version), so that a
/// tightened check never locks out an existing configuration.
/// </summary>
internal sealed record WebhookValidationOptions
{
    public static readonly WebhookValidationOptions Create = new();

    /// <summary>sideEffects must be None or NoneOnDryRun (otherwise Some and Unknown pass too).</summary>
    public bool RequireNoSideEffects { get; init; } = true;

    /// <summary>admissionReviewVersions must include a version the API server sends.</summary>
    public bool RequireRecognizedAdmissionReviewVersion { get; init; } = true;

    /// <summary>No two webhooks of one configuration share a name.</summary>
    public bool RequireUniqueWebhookNames { get; init; } = true;

    /// <summary>matchExpressions values of the selectors need not be label values.</summary>
    public bool AllowInvalidLabelValueInSelector { get; init; }

    /// <summary>The options kube's <c>Validate…WebhookConfigurationUpdate</c> computes from the stored webhooks.</summary>
    public static WebhookValidationOptions ForUpdate(IReadOnlyList<WebhookFields> old)
    {
        ArgumentNullException.ThrowIfNull(old);
        return new()
        {
            RequireNoSideEffects = old.All(h => h.SideEffects is { } sideEffects && WebhookValues.NoSideEffects.Contains(sideEffects)),
            RequireRecognizedAdmissionReviewVersion = old.All(HasAcceptedAdmissionReviewVersion),
            RequireUniqueWebhookNames = old.Select(h => h.Name ?? "").Distinct(StringComparer.Ordinal).Count() == old.Count,
            AllowInvalidLabelValueInSelector = old.Any(HasInvalidSelector),
        };
    }

    /// <summary>A webhook that names no versions at all counts as accepted here; the required check reports it.</summary>
    private static bool HasAcceptedAdmissionReviewVersion(WebhookFields hook) =>
        hook.AdmissionReviewVersions is not { Count: > 0 } versions || versions.Any(v => WebhookValues.AcceptedAdmissionReviewVersions.Contains(v));

    private static bool HasInvalidSelector(WebhookFields hook) =>
        LabelSelectorValidation.Validate(hook.NamespaceSelector, FieldPath.Root).Count > 0
        || LabelSelectorValidation.Validate(hook.ObjectSelector, FieldPath.Root).Count > 0;
}
