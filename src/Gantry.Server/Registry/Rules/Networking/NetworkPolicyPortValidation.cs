using System.Globalization;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules.Networking;

/// <summary>
/// kube's <c>ValidateNetworkPolicyPort</c>: a supported protocol, a port given by number (1–65535) or by name, and a
/// range end only after a numbered port, no lower than it.
/// </summary>
internal static class NetworkPolicyPortValidation
{
    // In the order kube's NotSupported message lists them.
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];

    public static void Validate(V1NetworkPolicyPort port, FieldPath path, List<FieldError> errors)
    {
        if (port.Protocol is { } protocol && !Protocols.Contains(protocol))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("protocol"), protocol, Protocols));
        }

        var endPort = port.EndPort;
        if (port.Port?.Value is not { } value)
        {
            if (endPort is { } end)
            {
                errors.Add(FieldErrors.Invalid(path.Child("endPort"), end, "may not be specified when `port` is not specified"));
            }

            return;
        }

        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            errors.AddRange(FormatValidation.IsValidPortNum(number).Select(m => FieldErrors.Invalid(path.Child("port"), number, m)));
            if (endPort is { } end)
            {
                // kube 1.32 reports the port as the bad value here (kube 1.36 reports the end).
                if (end < number)
                {
                    errors.Add(FieldErrors.Invalid(path.Child("endPort"), number, "must be greater than or equal to `port`"));
                }

                errors.AddRange(FormatValidation.IsValidPortNum(end).Select(m => FieldErrors.Invalid(path.Child("endPort"), end, m)));
            }

            return;
        }

        if (endPort is { } namedEnd)
        {
            errors.Add(FieldErrors.Invalid(path.Child("endPort"), namedEnd, "may not be specified when `port` is non-numeric"));
        }

        errors.AddRange(FormatValidation.IsValidPortName(value).Select(m => FieldErrors.Invalid(path.Child("port"), value, m)));
    }
}
