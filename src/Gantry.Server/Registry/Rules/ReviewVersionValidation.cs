using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// kube's checks of the review versions a webhook understands (<c>validateAdmissionReviewVersions</c>,
/// <c>validateConversionReviewVersions</c>): at least one, each a DNS-1035 label named once, and (unless the stored
/// object already failed it) at least one the API server sends.
/// </summary>
internal static class ReviewVersionValidation
{
    /// <param name="accepted">The versions the API server sends.</param>
    /// <param name="requiredDetail">The detail of the error when none is named; kube gives one for admission reviews only.</param>
    public static void Validate(
        IList<string>? versions, IReadOnlyCollection<string> accepted, bool requireRecognizedVersion, FieldPath path, List<FieldError> errors, string requiredDetail = "")
    {
        if (versions is not { Count: > 0 })
        {
            errors.Add(FieldErrors.Required(path, requiredDetail));
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
            hasAcceptedVersion |= accepted.Contains(version);
        }

        if (requireRecognizedVersion && !hasAcceptedVersion)
        {
            errors.Add(FieldErrors.Invalid(path, GoValue.Strings(versions.Select(v => v ?? "")), "must include at least one of " + string.Join(", ", accepted)));
        }
    }
}
