using Gantry.Core.Validation;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// The checks a Service port and an Endpoints port share: a DNS-1123 label name (required when
/// there are several ports, unique), a port number, a supported protocol, an application protocol.
/// </summary>
internal static class ServicePortValidation
{
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    public static void Validate(
        string? portName, int port, string? protocol, string? appProtocol, bool requireName, HashSet<string> names, FieldPath path, List<FieldError> errors)
    {
        var name = portName ?? "";
        if (requireName && name.Length == 0)
        {
            errors.Add(FieldErrors.Required(path.Child("name")));
        }
        else if (name.Length > 0)
        {
            errors.AddRange(FormatValidation.IsDns1123Label(name).Select(m => FieldErrors.Invalid(path.Child("name"), name, m)));
            if (!names.Add(name))
            {
                errors.Add(FieldErrors.Duplicate(path.Child("name"), name));
            }
        }

        errors.AddRange(FormatValidation.IsValidPortNum(port).Select(m => FieldErrors.Invalid(path.Child("port"), port, m)));
        if (string.IsNullOrEmpty(protocol))
        {
            errors.Add(FieldErrors.Required(path.Child("protocol")));
        }
        else if (!Protocols.Contains(protocol))
        {
            errors.Add(FieldErrors.NotSupported(path.Child("protocol"), protocol, Protocols));
        }

        if (appProtocol is not null)
        {
            errors.AddRange(FormatValidation.IsQualifiedName(appProtocol).Select(m => FieldErrors.Invalid(path.Child("appProtocol"), appProtocol, m)));
        }
    }
}
