using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's <c>validateAdmissionReviewVersions</c>: a webhook names the AdmissionReview versions it understands, each a
/// DNS-1035 label named once, and (unless the stored webhook already did not) at least one the API server sends.
/// </summary>
internal static class AdmissionReviewVersionValidation
{
    public static void Validate(IList<string>? versions, bool requireRecognizedVersion, FieldPath path, List<FieldError> errors)
    {
        var accepted = string.Join(", ", WebhookValues.AcceptedAdmissionReviewVersions);
        if (versions is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(path, "must specify one of " + accepted));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var hasAcceptedVersion = false;
        for (var i = 0; i < versions.Count; i++)
        {
            var version = versions[i] ?? "";
            if (!seen.Add(version))
            {
                errors.Add(FieldErrors.Invalid(path.Index(i), version, "duplicate version"));
                continue;
            }

            errors.AddRange(FormatValidation.IsDns1035Label(version).Select(m => FieldErrors.Invalid(path.Index(i), version, m)));
            hasAcceptedVersion |= WebhookValues.AcceptedAdmissionReviewVersions.Contains(version);
        }

        if (requireRecognizedVersion && !hasAcceptedVersion)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.Strings(versions.Select(v => v ?? "")), "must include at least one of " + accepted));
        }
    }
}
