using Gantry.Core.Cel;
using System.Text;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.AdmissionRegistration;

/// <summary>
/// kube's checks of a policy's <c>auditAnnotations</c>: at most 20, each keyed uniquely by a name that, after the policy's
/// name and a slash, is a qualified name (the audit event's annotation key), with a value expression that compiles and
/// stays under 5 KiB (the annotation value, built by the expression, may be twice that).
/// </summary>
internal static class AuditAnnotationValidation
{
    private const int MaxAuditAnnotations = 20;
    private const int MaxValueExpressionBytes = 5 * 1024;

    public static void Validate(IList<V1AuditAnnotation> annotations, string policyName, CelEnvironment environment, FieldPath path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(policyName);
        if (annotations.Count > MaxAuditAnnotations)
        {
            errors.Add(FieldErrors.Invalid(path, GoAnnotations(annotations), $"must not have more than {MaxAuditAnnotations} auditAnnotations"));
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < annotations.Count; i++)
        {
            var annotation = annotations[i] ?? new V1AuditAnnotation();
            var at = path.Index(i);
            Annotation(annotation, policyName, environment, at, errors);
            if (!keys.Add(annotation.Key ?? ""))
            {
                errors.Add(FieldErrors.Duplicate(at.Child("key"), annotation.Key ?? ""));
            }
        }
    }

    /// <summary>kube's <c>validateAuditAnnotation</c>.</summary>
    private static void Annotation(V1AuditAnnotation annotation, string policyName, CelEnvironment environment, FieldPath path, List<FieldError> errors)
    {
        var key = annotation.Key ?? "";
        if (policyName.Length > 0)
        {
            var qualified = policyName + "/" + key;
            errors.AddRange(FormatValidation.IsQualifiedName(qualified).Select(m => FieldErrors.Invalid(path.Child("key"), qualified, m)));
        }
        else
        {
            errors.Add(FieldErrors.Invalid(path.Child("key"), key, "requires metadata.name be non-empty"));
        }

        var valueExpression = annotation.ValueExpression ?? "";
        var trimmed = valueExpression.Trim();
        if (trimmed.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("valueExpression"), "valueExpression is not specified"));
        }
        else if (Encoding.UTF8.GetByteCount(trimmed) > MaxValueExpressionBytes)
        {
            errors.Add(FieldErrors.Required(path.Child("valueExpression"), $"must not exceed {MaxValueExpressionBytes} bytes in length"));
        }
        else
        {
            CelExpressionValidation.Validate(
                trimmed, valueExpression, environment, path.Child("valueExpression"), errors);
        }
    }

    /// <summary>The annotations as Go's <c>%#v</c> prints kube's internal <c>[]admissionregistration.AuditAnnotation</c>.</summary>
    private static GoValue GoAnnotations(IList<V1AuditAnnotation> annotations) =>
        new("[]admissionregistration.AuditAnnotation{" + string.Join(", ", annotations.Select(a =>
            $"admissionregistration.AuditAnnotation{{Key:{GoValue.Quote(a?.Key ?? "")}, ValueExpression:{GoValue.Quote(a?.ValueExpression ?? "")}}}")) + "}");
}
