using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>What kube's validation of volumes and claims shares: access modes, volume modes, class names and amounts of storage.</summary>
internal static class StorageValidation
{
    public const string ReadWriteOncePod = "ReadWriteOncePod";

    /// <summary>kube's <c>supportedAccessModes</c>, in the sorted order its errors list them.</summary>
    public static readonly string[] AccessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", ReadWriteOncePod];

    /// <summary>kube's <c>supportedVolumeModes</c>, sorted.</summary>
    public static readonly string[] VolumeModes = ["Block", "Filesystem"];

    /// <summary>Each mode known, and ReadWriteOncePod alone.</summary>
    public static void ValidateAccessModes(IList<string>? modes, FieldPath path, List<FieldError> errors)
    {
        var readWriteOncePod = false;
        var other = false;
        foreach (var mode in modes ?? [])
        {
            if (!AccessModes.Contains(mode))
            {
                errors.Add(FieldErrors.NotSupported(path, mode, AccessModes));
            }
            else if (mode == ReadWriteOncePod)
            {
                readWriteOncePod = true;
            }
            else
            {
                other = true;
            }
        }

        if (readWriteOncePod && other)
        {
            errors.Add(FieldErrors.Forbidden(path, "may not use ReadWriteOncePod with other access modes"));
        }
    }

    public static void ValidateVolumeMode(string? mode, FieldPath path, List<FieldError> errors)
    {
        if (mode is not null && !VolumeModes.Contains(mode))
        {
            errors.Add(FieldErrors.NotSupported(path, mode, VolumeModes));
        }
    }

    /// <summary>kube's <c>ValidateClassName</c>: a DNS subdomain.</summary>
    public static void ValidateClassName(string name, FieldPath path, List<FieldError> errors) =>
        errors.AddRange(FormatValidation.IsDns1123Subdomain(name).Select(m => FieldErrors.Invalid(path, name, m)));

    /// <summary>kube's <c>ValidatePositiveQuantityValue</c>.</summary>
    public static bool ValidatePositive(ResourceQuantity quantity, FieldPath path, List<FieldError> errors)
    {
        if (quantity.ToDecimal() > 0)
        {
            return true;
        }

        errors.Add(FieldErrors.Invalid(path, GoValue.QuantityText(quantity), "must be greater than zero"));
        return false;
    }

    /// <summary>kube's <c>validateBasicResource</c>: no negative amount.</summary>
    public static void ValidateBasic(ResourceQuantity quantity, FieldPath path, List<FieldError> errors)
    {
        var amount = quantity.ToDecimal();
        if (amount < 0)
        {
            errors.Add(FieldErrors.Invalid(path, (long)decimal.Ceiling(amount), "must be a valid resource quantity"));
        }
    }

    /// <summary>kube's <c>validatePathNoBacksteps</c>.</summary>
    public static void ValidateNoBacksteps(string value, FieldPath path, List<FieldError> errors)
    {
        if (value.Split('/').Contains(".."))
        {
            errors.Add(FieldErrors.Invalid(path, value, "must not contain '..'"));
        }
    }

    /// <summary>The <c>storage</c> amount of a resource list, if it holds one.</summary>
    public static ResourceQuantity? Storage(IDictionary<string, ResourceQuantity>? amounts) =>
        amounts is not null && amounts.TryGetValue("storage", out var quantity) ? quantity : null;
}
