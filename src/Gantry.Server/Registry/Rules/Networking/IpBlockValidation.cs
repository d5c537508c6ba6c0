using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.Networking;

/// <summary>
/// kube 1.32's <c>ValidateIPBlock</c>: a CIDR, and exceptions that are CIDRs strictly inside it. Both are read as
/// loosely as kube reads them (<see cref="SloppyCidr"/>), so a value kube stores is never refused here.
/// </summary>
internal static class IpBlockValidation
{
    public static void Validate(V1IPBlock ipBlock, FieldPath path, List<FieldError> errors)
    {
        var value = ipBlock.Cidr ?? "";
        if (value.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("cidr")));
            return;
        }

        if (!SloppyCidr.TryParse(value, out var cidr))
        {
            errors.Add(FieldErrors.Invalid(path.Child("cidr"), value, SloppyCidr.InvalidMessage));
            return;
        }

        var except = ipBlock.Except ?? [];
        for (var i = 0; i < except.Count; i++)
        {
            var exceptValue = except[i] ?? "";
            if (!SloppyCidr.TryParse(exceptValue, out var excluded))
            {
                errors.Add(FieldErrors.Invalid(path.Child("except").Index(i), exceptValue, SloppyCidr.InvalidMessage));
            }
            else if (!cidr.Contains(excluded) || cidr.PrefixLength >= excluded.PrefixLength)
            {
                errors.Add(FieldErrors.Invalid(path.Child("except").Index(i), exceptValue, "must be a strict subset of `cidr`"));
            }
        }
    }
}
