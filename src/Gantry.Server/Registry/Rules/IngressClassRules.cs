using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// IngressClasses (networking.k8s.io/v1), as kube's <c>SetDefaults_IngressClass</c> and <c>ValidateIngressClass</c>
/// treat them: the controller is a domain-prefixed path of at most 250 characters that never changes, and a parameters
/// reference names a kind and an object, in the cluster (the default scope) or in a namespace it names.
/// </summary>
public sealed class IngressClassRules() : ResourceRules<V1IngressClass>(ResourceCatalog.Get("networking.k8s.io", "ingressclasses"))
{
    public const string ClusterScope = "Cluster";
    public const string NamespaceScope = "Namespace";

    private const int MaxControllerLength = 250;

    private static readonly string[] Scopes = [ClusterScope, NamespaceScope];
    private static readonly FieldPath Controller = FieldPath.Of("spec", "controller");
    private static readonly FieldPath Parameters = FieldPath.Of("spec", "parameters");

    protected override void Default(V1IngressClass obj)
    {
        if (obj.Spec?.Parameters is { } parameters)
        {
            parameters.Scope ??= ClusterScope;
        }
    }

    protected override void Validate(V1IngressClass obj, List<FieldError> errors)
    {
        var controller = obj.Spec?.Controller ?? "";
        if (controller.Length == 0)
        {
            errors.Add(FieldErrors.Required(Controller));
        }
        else
        {
            if (controller.Length > MaxControllerLength)
            {
                errors.Add(FieldErrors.TooLong(Controller, MaxControllerLength));
            }

            errors.AddRange(DomainPrefixedPathValidation.Validate(Controller, controller));
        }

        if (obj.Spec?.Parameters is { } parameters)
        {
            ValidateParameters(parameters, errors);
        }
    }

    protected override void ValidateUpdate(V1IngressClass obj, V1IngressClass old, List<FieldError> errors)
    {
        if ((obj.Spec?.Controller ?? "") != (old.Spec?.Controller ?? ""))
        {
            errors.Add(FieldErrors.Immutable(Controller, obj.Spec?.Controller ?? ""));
        }

        Validate(obj, errors);
    }

    /// <summary>kube's <c>validateIngressClassParametersReference</c>.</summary>
    private static void ValidateParameters(V1IngressClassParametersReference parameters, List<FieldError> errors)
    {
        if (parameters.ApiGroup is { } apiGroup)
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(apiGroup).Select(m => FieldErrors.Invalid(Parameters.Child("apiGroup"), apiGroup, m)));
        }

        ValidateSegmentName(parameters.Kind, Parameters.Child("kind"), errors);
        ValidateSegmentName(parameters.Name, Parameters.Child("name"), errors);
        if (parameters.Scope is not { } scope)
        {
            errors.Add(FieldErrors.Required(Parameters.Child("scope")));
            return;
        }

        if (!Scopes.Contains(scope))
        {
            errors.Add(FieldErrors.NotSupported(Parameters.Child("scope"), scope, Scopes));
            return;
        }

        var ns = parameters.NamespaceProperty;
        if (scope == NamespaceScope && ns is null)
        {
            errors.Add(FieldErrors.Required(Parameters.Child("namespace"), "`parameters.scope` is set to 'Namespace'"));
        }
        else if (scope == NamespaceScope)
        {
            errors.AddRange(FormatValidation.IsDns1123Label(ns!).Select(m => FieldErrors.Invalid(Parameters.Child("namespace"), ns, m)));
        }
        else if (ns is not null)
        {
            errors.Add(FieldErrors.Forbidden(Parameters.Child("namespace"), "`parameters.scope` is set to 'Cluster'"));
        }
    }

    private static void ValidateSegmentName(string? value, FieldPath path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(FieldErrors.Required(path));
            return;
        }

        errors.AddRange(FormatValidation.IsValidPathSegmentName(value).Select(m => FieldErrors.Invalid(path, value, m)));
    }
}
