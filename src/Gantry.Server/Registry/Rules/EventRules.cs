using System.Text;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// core/v1 Events, validated as the legacy <c>ValidateEventCreate</c> does: an old-style event (no
/// <c>eventTime</c>) must be in its object's namespace; a new-style one must say who reported it and why.
/// </summary>
public sealed class EventRules() : ResourceRules<Corev1Event>(ResourceCatalog.Get("", "events"))
{
    private const int ReportingInstanceLengthLimit = 128;
    private const int ActionLengthLimit = 128;
    private const int ReasonLengthLimit = 128;
    private const int NoteLengthLimit = 1024;

    protected override void Validate(Corev1Event obj, List<FieldError> errors)
    {
        var eventNamespace = obj.Metadata?.NamespaceProperty ?? "";
        var objectNamespace = obj.InvolvedObject?.NamespaceProperty ?? "";
        var namespacePath = FieldPath.Of("involvedObject", "namespace");
        if (obj.EventTime is null)
        {
            var matches = objectNamespace.Length == 0 ? eventNamespace is "" or "default" : eventNamespace == objectNamespace;
            if (!matches)
            {
                errors.Add(FieldErrors.Invalid(namespacePath, objectNamespace, "does not match event.namespace"));
            }
        }
        else
        {
            if (objectNamespace.Length == 0 && eventNamespace is not ("default" or "kube-system"))
            {
                errors.Add(FieldErrors.Invalid(namespacePath, objectNamespace, "does not match event.namespace"));
            }

            var controller = obj.ReportingComponent ?? "";
            if (controller.Length == 0)
            {
                errors.Add(FieldErrors.Required(FieldPath.Of("reportingController")));
            }

            errors.AddRange(FormatValidation.IsQualifiedName(controller).Select(m => FieldErrors.Invalid(FieldPath.Of("reportingController"), controller, m)));
            RequireBounded(obj.ReportingInstance, "reportingInstance", ReportingInstanceLengthLimit, errors);
            RequireBounded(obj.Action, "action", ActionLengthLimit, errors);
            RequireBounded(obj.Reason, "reason", ReasonLengthLimit, errors);
            if (Encoding.UTF8.GetByteCount(obj.Message ?? "") > NoteLengthLimit)
            {
                errors.Add(FieldErrors.Invalid(FieldPath.Of("message"), "", $"can have at most {NoteLengthLimit} characters"));
            }
        }

        if (eventNamespace.Length > 0)
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(eventNamespace).Select(m => FieldErrors.Invalid(FieldPath.Of("namespace"), eventNamespace, m)));
        }
    }

    private static void RequireBounded(string? value, string field, int limit, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(FieldErrors.Required(FieldPath.Of(field)));
        }
        else if (Encoding.UTF8.GetByteCount(value) > limit)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of(field), "", $"can have at most {limit} characters"));
        }
    }
}
