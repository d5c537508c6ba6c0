using System.Net;
using System.Net.Sockets;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// EndpointSlices (discovery.k8s.io/v1): the port defaults of <c>SetDefaults_EndpointPort</c> and the
/// checks of <c>ValidateEndpointSlice</c> (address type, address count and family, port names, limits).
/// </summary>
public sealed class EndpointSliceRules() : ResourceRules<V1EndpointSlice>(ResourceCatalog.Get("discovery.k8s.io", "endpointslices"))
{
    private const int MaxEndpoints = 1000;
    private const int MaxAddresses = 100;
    private const int MaxPorts = 20000;
    private static readonly string[] AddressTypes = ["FQDN", "IPv4", "IPv6"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    protected override void Default(V1EndpointSlice obj)
    {
        foreach (var port in obj.Ports ?? [])
        {
            port.Name ??= "";
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }
        }
    }

    protected override void Validate(V1EndpointSlice obj, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(obj.AddressType))
        {
            errors.Add(FieldErrors.Required(FieldPath.Of("addressType")));
        }
        else if (!AddressTypes.Contains(obj.AddressType))
        {
            errors.Add(FieldErrors.NotSupported(FieldPath.Of("addressType"), obj.AddressType, AddressTypes));
        }

        ValidateEndpoints(obj, errors);
        ValidatePorts(obj.Ports ?? [], errors);
    }

    protected override void ValidateUpdate(V1EndpointSlice obj, V1EndpointSlice old, List<FieldError> errors)
    {
        if (obj.AddressType != old.AddressType)
        {
            errors.Add(FieldErrors.Immutable(FieldPath.Of("addressType"), obj.AddressType));
        }

        Validate(obj, errors);
    }

    private static void ValidateEndpoints(V1EndpointSlice obj, List<FieldError> errors)
    {
        var endpoints = obj.Endpoints ?? [];
        var path = FieldPath.Of("endpoints");
        if (endpoints.Count > MaxEndpoints)
        {
            errors.Add(FieldErrors.TooMany(path, endpoints.Count, MaxEndpoints));
            return;
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            var addressesPath = path.Index(i).Child("addresses");
            var addresses = endpoint.Addresses ?? [];
            if (addresses.Count == 0)
            {
                errors.Add(FieldErrors.Required(addressesPath, "must contain at least 1 address"));
            }
            else if (addresses.Count > MaxAddresses)
            {
                errors.Add(FieldErrors.TooMany(addressesPath, addresses.Count, MaxAddresses));
            }

            for (var j = 0; j < addresses.Count; j++)
            {
                ValidateAddress(obj.AddressType, addresses[j], addressesPath.Index(j), errors);
            }

            if (!string.IsNullOrEmpty(endpoint.Hostname))
            {
                errors.AddRange(FormatValidation.IsDns1123Label(endpoint.Hostname).Select(m => FieldErrors.Invalid(path.Index(i).Child("hostname"), endpoint.Hostname, m)));
            }

            if (!string.IsNullOrEmpty(endpoint.NodeName))
            {
                errors.AddRange(FormatValidation.IsDns1123Subdomain(endpoint.NodeName).Select(m => FieldErrors.Invalid(path.Index(i).Child("nodeName"), endpoint.NodeName, m)));
            }
        }
    }

    private static void ValidateAddress(string? addressType, string address, FieldPath path, List<FieldError> errors)
    {
        switch (addressType)
        {
            case "IPv4" when !(IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork):
                errors.Add(FieldErrors.Invalid(path, address, "must be a valid IPv4 address"));
                break;
            case "IPv6" when !(IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6):
                errors.Add(FieldErrors.Invalid(path, address, "must be a valid IPv6 address"));
                break;
            case "FQDN":
                errors.AddRange(FormatValidation.IsDns1123Subdomain(address).Select(m => FieldErrors.Invalid(path, address, m)));
                break;
        }
    }

    private static void ValidatePorts(IList<Discoveryv1EndpointPort> ports, List<FieldError> errors)
    {
        var path = FieldPath.Of("ports");
        if (ports.Count > MaxPorts)
        {
            errors.Add(FieldErrors.TooMany(path, ports.Count, MaxPorts));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var portPath = path.Index(i);
            var name = port.Name ?? "";
            if (name.Length > 0)
            {
                errors.AddRange(FormatValidation.IsDns1123Label(name).Select(m => FieldErrors.Invalid(portPath.Child("name"), name, m)));
            }

            if (!names.Add(name))
            {
                errors.Add(FieldErrors.Duplicate(portPath.Child("name"), name));
            }

            if (string.IsNullOrEmpty(port.Protocol))
            {
                errors.Add(FieldErrors.Required(portPath.Child("protocol")));
            }
            else if (!Protocols.Contains(port.Protocol))
            {
                errors.Add(FieldErrors.NotSupported(portPath.Child("protocol"), port.Protocol, Protocols));
            }

            if (port.AppProtocol is { } appProtocol)
            {
                errors.AddRange(FormatValidation.IsQualifiedName(appProtocol).Select(m => FieldErrors.Invalid(portPath.Child("appProtocol"), appProtocol, m)));
            }
        }
    }
}
