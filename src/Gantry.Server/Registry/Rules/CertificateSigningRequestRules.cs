using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Certificates;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// CertificateSigningRequests (certificates.k8s.io/v1), as kube's validation and strategies hold them: the request must
/// be a signed PKCS #10 request in PEM, for a signer named <c>domain/path</c>, with usages the API knows, each once; the
/// spec never changes after the create. Approved, Denied and Failed conditions appear at most once and are never
/// removed, and are only ever True; Approved and Denied exclude each other; approval is the <c>approval</c>
/// subresource's to change and the certificate the <c>status</c> subresource's, once.
/// </summary>
public sealed class CertificateSigningRequestRules()
    : ResourceRules<V1CertificateSigningRequest>(ResourceCatalog.Get("certificates.k8s.io", "certificatesigningrequests"))
{
    private const string LegacyUnknownSigner = "kubernetes.io/legacy-unknown";
    private const int MinimumExpirationSeconds = 600;

    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly FieldPath Conditions = FieldPath.Of("status", "conditions");
    private static readonly FieldPath Certificate = FieldPath.Of("status", "certificate");
    private static readonly string[] Statuses = ["False", "True", "Unknown"];
    private static readonly string[] TrueOnly = ["True"];
    private static readonly string[] KeptConditions = [SigningRequests.Approved, SigningRequests.Denied, SigningRequests.Failed];

    /// <summary>The spec is the requester's, as created: kube's strategy keeps it on every update.</summary>
    protected override void PrepareForUpdate(V1CertificateSigningRequest obj, V1CertificateSigningRequest old) => obj.Spec = old.Spec;

    protected override void Validate(V1CertificateSigningRequest obj, List<FieldError> errors)
    {
        ValidateSpec(obj.Spec ?? new V1CertificateSigningRequestSpec(), errors);
        ValidateConditions(obj.Status?.Conditions ?? [], errors);
        if (CertificateProblem(obj.Status?.Certificate) is { } problem)
        {
            errors.Add(FieldErrors.Invalid(Certificate, "<certificate data>", problem));
        }
    }

    /// <summary>A write to the resource itself, whose status the registry kept: nothing of the approval or the certificate changes.</summary>
    protected override void ValidateUpdate(V1CertificateSigningRequest obj, V1CertificateSigningRequest old, List<FieldError> errors)
    {
        Validate(obj, errors);
        ValidateKeptConditions(obj, old, errors);
        ValidateCertificateChange(obj, old, errors);
    }

    /// <summary>
    /// A write to <c>status</c> or <c>approval</c>. The registry kept the stored approval conditions in a status write and
    /// everything but the conditions in an approval, so each may change only what it is for.
    /// </summary>
    protected override void ValidateStatusUpdate(V1CertificateSigningRequest obj, V1CertificateSigningRequest old, List<FieldError> errors)
    {
        Validate(obj, errors);
        ValidateKeptConditions(obj, old, errors);
        if (!SameBytes(obj.Status?.Certificate, old.Status?.Certificate) && old.Status?.Certificate is { Length: > 0 })
        {
            errors.Add(FieldErrors.Forbidden(Certificate, "updates may not modify existing certificate content"));
        }
    }

    private static void ValidateSpec(V1CertificateSigningRequestSpec spec, List<FieldError> errors)
    {
        try
        {
            SigningRequests.Parse(spec.Request);
        }
        catch (FormatException ex)
        {
            errors.Add(FieldErrors.InvalidStruct(Spec.Child("request"), ex.Message));
        }

        var usages = spec.Usages ?? [];
        if (usages.Count == 0)
        {
            errors.Add(FieldErrors.Required(Spec.Child("usages")));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < usages.Count; i++)
        {
            if (!KeyUsages.IsKnown(usages[i]))
            {
                errors.Add(FieldErrors.NotSupported(Spec.Child("usages").Index(i), usages[i], KeyUsages.All.Order(StringComparer.Ordinal)));
            }

            if (!seen.Add(usages[i]))
            {
                errors.Add(FieldErrors.Duplicate(Spec.Child("usages").Index(i), usages[i]));
            }
        }

        if (spec.SignerName == LegacyUnknownSigner)
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("signerName"), spec.SignerName, "the legacy signerName is not allowed via this API version"));
        }
        else
        {
            errors.AddRange(SignerNameValidation.Validate(Spec.Child("signerName"), spec.SignerName ?? ""));
        }

        if (spec.ExpirationSeconds is < MinimumExpirationSeconds)
        {
            errors.Add(FieldErrors.Invalid(
                Spec.Child("expirationSeconds"), spec.ExpirationSeconds.Value, "may not specify a duration less than 600 seconds (10 minutes)"));
        }
    }

    private static void ValidateConditions(IList<V1CertificateSigningRequestCondition> conditions, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var (approved, denied) = (false, false);
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var at = Conditions.Index(i);
            var type = condition.Type ?? "";
            if (type.Length == 0)
            {
                errors.Add(FieldErrors.Required(at.Child("type")));
            }

            var allowed = KeptConditions.Contains(type) ? TrueOnly : Statuses;
            if (string.IsNullOrEmpty(condition.Status))
            {
                errors.Add(FieldErrors.Required(at.Child("status")));
            }
            else if (!allowed.Contains(condition.Status))
            {
                errors.Add(FieldErrors.NotSupported(at.Child("status"), condition.Status, allowed));
            }

            approved |= type == SigningRequests.Approved;
            denied |= type == SigningRequests.Denied;
            if (type is SigningRequests.Approved or SigningRequests.Denied && approved && denied)
            {
                errors.Add(FieldErrors.Invalid(at.Child("type"), type, "Approved and Denied conditions are mutually exclusive"));
            }

            if (!seen.Add(type))
            {
                errors.Add(FieldErrors.Duplicate(at.Child("type"), type));
            }
        }
    }

    /// <summary>No Approved, Denied or Failed condition is ever removed.</summary>
    private static void ValidateKeptConditions(V1CertificateSigningRequest obj, V1CertificateSigningRequest old, List<FieldError> errors)
    {
        foreach (var type in KeptConditions)
        {
            if (Count(obj, type) < Count(old, type))
            {
                errors.Add(FieldErrors.Forbidden(Conditions, $"updates may not remove a condition of type \"{type}\""));
            }
        }
    }

    private static void ValidateCertificateChange(V1CertificateSigningRequest obj, V1CertificateSigningRequest old, List<FieldError> errors)
    {
        if (!SameBytes(obj.Status?.Certificate, old.Status?.Certificate))
        {
            errors.Add(FieldErrors.Forbidden(Certificate, "updates may not set certificate content"));
        }
    }

    private static int Count(V1CertificateSigningRequest csr, string type) => csr.Status?.Conditions?.Count(c => c.Type == type) ?? 0;

    private static bool SameBytes(byte[]? a, byte[]? b) => (a ?? []).AsSpan().SequenceEqual(b ?? []);

    /// <summary>kube's <c>validateCertificate</c>: PEM CERTIFICATE blocks only, without headers, at least one.</summary>
    private static string? CertificateProblem(byte[]? pem)
    {
        if (pem is not { Length: > 0 })
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(pem).AsSpan();
        var blocks = 0;
        while (PemEncoding.TryFind(text, out var fields))
        {
            var label = text[fields.Label].ToString();
            if (label != "CERTIFICATE")
            {
                return $"only CERTIFICATE PEM blocks are allowed, found \"{label}\"";
            }

            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text[fields.Base64Data].ToString()));
            }
            catch (CryptographicException ex)
            {
                return ex.Message;
            }

            blocks++;
            text = text[fields.Location.End..];
        }

        return blocks == 0 ? "must contain at least one CERTIFICATE PEM block" : null;
    }
}
