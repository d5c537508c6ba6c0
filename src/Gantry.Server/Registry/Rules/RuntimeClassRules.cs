using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>RuntimeClasses (node.k8s.io/v1): the handler must be a DNS label and never changes.</summary>
public sealed class RuntimeClassRules() : ResourceRules<V1RuntimeClass>(ResourceCatalog.Get("node.k8s.io", "runtimeclasses"))
{
    private static readonly FieldPath Handler = FieldPath.Of("handler");

    protected override void Validate(V1RuntimeClass obj, List<FieldError> errors)
    {
        var handler = obj.Handler ?? "";
        errors.AddRange(FormatValidation.IsDns1123Label(handler).Select(m => FieldErrors.Invalid(Handler, handler, m)));
        if (obj.Scheduling?.NodeSelector is { } nodeSelector)
        {
            errors.AddRange(ObjectMetaValidation.ValidateLabels(nodeSelector, FieldPath.Of("scheduling", "nodeSelector")));
        }
    }

    protected override void ValidateUpdate(V1RuntimeClass obj, V1RuntimeClass old, List<FieldError> errors)
    {
        if (obj.Handler != old.Handler)
        {
            errors.Add(FieldErrors.Immutable(Handler, obj.Handler ?? ""));
        }
    }
}
