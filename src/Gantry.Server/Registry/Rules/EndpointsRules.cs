using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>Endpoints: ports default to TCP; addresses and ports are validated as <c>ValidateEndpoints</c> does.</summary>
public sealed class EndpointsRules() : ResourceRules<V1Endpoints>(ResourceCatalog.Get("", "endpoints"))
{
    protected override void Default(V1Endpoints obj)
    {
        foreach (var port in (obj.Subsets ?? []).SelectMany(s => s.Ports ?? []))
        {
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }
        }
    }

    protected override void Validate(V1Endpoints obj, List<FieldError> errors)
    {
        var subsets = obj.Subsets ?? [];
        for (var i = 0; i < subsets.Count; i++)
        {
            var subset = subsets[i];
            var path = FieldPath.Of("subsets").Index(i);
            var addresses = subset.Addresses ?? [];
            var notReady = subset.NotReadyAddresses ?? [];
            var ports = subset.Ports ?? [];
            if (addresses.Count == 0 && notReady.Count == 0)
            {
                errors.Add(FieldErrors.Required(path, "must specify `addresses` or `notReadyAddresses`"));
            }

            for (var j = 0; j < addresses.Count; j++)
            {
                ValidateAddress(addresses[j], path.Child("addresses").Index(j), errors);
            }

            for (var j = 0; j < notReady.Count; j++)
            {
                ValidateAddress(notReady[j], path.Child("notReadyAddresses").Index(j), errors);
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < ports.Count; j++)
            {
                ValidatePort(ports[j], ports.Count > 1, names, path.Child("ports").Index(j), errors);
            }
        }
    }

    private static void ValidateAddress(V1EndpointAddress address, FieldPath path, List<FieldError> errors)
    {
        errors.AddRange(FormatValidation.IsValidIP(address.Ip ?? "").Select(m => FieldErrors.Invalid(path.Child("ip"), address.Ip ?? "", m)));
        if (!string.IsNullOrEmpty(address.Hostname))
        {
            errors.AddRange(FormatValidation.IsDns1123Label(address.Hostname).Select(m => FieldErrors.Invalid(path.Child("hostname"), address.Hostname, m)));
        }

        if (!string.IsNullOrEmpty(address.NodeName))
        {
            errors.AddRange(FormatValidation.IsDns1123Subdomain(address.NodeName).Select(m => FieldErrors.Invalid(path.Child("nodeName"), address.NodeName, m)));
        }
    }

    private static void ValidatePort(Corev1EndpointPort port, bool requireName, HashSet<string> names, FieldPath path, List<FieldError> errors)
    {
        ServicePortValidation.Validate(port.Name, port.Port, port.Protocol, port.AppProtocol, requireName, names, path, errors);
    }
}
