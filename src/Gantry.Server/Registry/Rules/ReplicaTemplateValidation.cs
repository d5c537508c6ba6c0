using Gantry.Core.Selectors;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// <c>ValidatePodTemplateSpecForRC</c> and <c>ValidatePodTemplateSpecForReplicaSet</c>: the template of a
/// controller that keeps pods running must carry labels its selector matches, restart always and set no
/// deadline.
/// </summary>
internal static class ReplicaTemplateValidation
{
    private static readonly string[] AlwaysOnly = ["Always"];

    /// <param name="ownerKind">The kind named in the deadline message: apimachinery says "ReplicaSet" for Deployments too.</param>
    public static void Validate(V1PodTemplateSpec? template, LabelSelector selector, FieldPath path, string ownerKind, List<FieldError> errors)
    {
        if (template is null)
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        if (!selector.IsEmpty && !selector.Matches(template.Metadata))
        {
            errors.Add(FieldErrors.Invalid(path.Child("metadata").Child("labels"), GoValue.Map(template.Metadata?.Labels),
                "`selector` does not match template `labels`"));
        }

        ValidateTemplate(template, path, ownerKind, errors);
    }

    /// <summary>The rules of a kept-running template that do not involve a selector.</summary>
    public static void ValidateTemplate(V1PodTemplateSpec? template, FieldPath path, string ownerKind, List<FieldError> errors)
    {
        if (template is null)
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        PodSpecValidation.ValidateTemplate(template, path, errors);
        var spec = template.Spec ?? new V1PodSpec();
        if (spec.RestartPolicy != "Always")
        {
            errors.Add(FieldErrors.NotSupported(path.Child("spec").Child("restartPolicy"), spec.RestartPolicy ?? "", AlwaysOnly));
        }

        if (spec.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldErrors.Forbidden(path.Child("spec").Child("activeDeadlineSeconds"), $"activeDeadlineSeconds in {ownerKind} is not Supported"));
        }
    }

    /// <summary>
    /// A <c>spec.selector</c> of type LabelSelector: required, valid, and not empty. Returns the parsed selector,
    /// or null when it cannot be parsed (the template is then not checked against it).
    /// </summary>
    public static LabelSelector? ValidateSelector(V1LabelSelector? selector, FieldPath path, List<FieldError> errors)
    {
        if (selector is null)
        {
            errors.Add(FieldErrors.Required(path));
        }
        else
        {
            errors.AddRange(LabelSelectorValidation.Validate(selector, path));
            if ((selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0) == 0)
            {
                // apimachinery uses this Deployment wording for ReplicaSets as well.
                errors.Add(FieldErrors.Invalid(path, GoValue.LabelSelector(selector), "empty selector is invalid for deployment"));
            }
        }

        try
        {
            return LabelSelector.FromModel(selector);
        }
        catch (SelectorParseException)
        {
            errors.Add(FieldErrors.Invalid(path, selector is null ? null : GoValue.LabelSelector(selector), "invalid label selector"));
            return null;
        }
    }

    public static void ValidateNonNegative(long? value, FieldPath path, List<FieldError> errors)
    {
        if (value is < 0)
        {
            errors.Add(FieldErrors.Invalid(path, value.Value, FormatValidation.IsNegative));
        }
    }

    /// <summary>The apps/v1 rule that a selector may not change once set.</summary>
    public static void ValidateSelectorUnchanged(V1LabelSelector? selector, V1LabelSelector? old, FieldPath path, List<FieldError> errors)
    {
        if (!SemanticEquality.AreEqual(selector, old))
        {
            errors.Add(FieldErrors.Immutable(path, selector is null ? null : GoValue.LabelSelector(selector)));
        }
    }
}
