using System.Globalization;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>
/// Services: the defaults of <c>SetDefaults_Service</c> plus the single-stack IPv4 family choice the service
/// registry makes, and <c>ValidateService</c>/<c>ValidateServiceUpdate</c>. Allocating cluster IPs and node
/// ports is not a rule: <see cref="Allocation.ServiceAllocations"/> does it, after validation.
/// </summary>
public sealed class ServiceRules() : ResourceRules<V1Service>(ResourceCatalog.Get("", "services"))
{
    private static readonly FieldPath Spec = FieldPath.Of("spec");
    private static readonly string[] ServiceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] SessionAffinities = ["ClientIP", "None"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] IpFamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
    private static readonly string[] IpFamilies = ["IPv4", "IPv6"];

    /// <summary>
    /// What the apiserver's service registry does before validating an update: an update that leaves out
    /// the allocated cluster IPs keeps the old ones (<c>patchAllocatedValues</c>). Call it before
    /// <see cref="IResourceRules.ValidateUpdate"/>.
    /// </summary>
    public static void CarryOverAllocatedValues(V1Service updated, V1Service old)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(old);
        var spec = updated.Spec ??= new V1ServiceSpec();
        var oldSpec = old.Spec ?? new V1ServiceSpec();
        if (spec.Type == "ExternalName" || oldSpec.Type == "ExternalName")
        {
            return;
        }

        if (string.IsNullOrEmpty(spec.ClusterIP) && (spec.ClusterIPs?.Count ?? 0) == 0)
        {
            spec.ClusterIP = oldSpec.ClusterIP;
            spec.ClusterIPs = oldSpec.ClusterIPs is null ? null : [.. oldSpec.ClusterIPs];
        }
        else
        {
            NormalizeClusterIps(spec, oldSpec);
        }

        if (spec.Type == "LoadBalancer" && oldSpec.Type == "LoadBalancer" && spec.HealthCheckNodePort is null or 0)
        {
            spec.HealthCheckNodePort = oldSpec.HealthCheckNodePort;
        }

        if ((spec.IpFamilies?.Count ?? 0) == 0 && oldSpec.IpFamilies is not null)
        {
            spec.IpFamilies = [.. oldSpec.IpFamilies];
        }

        if (spec.Type is "NodePort" or "LoadBalancer" && oldSpec.Type is "NodePort" or "LoadBalancer")
        {
            foreach (var port in spec.Ports ?? [])
            {
                if (port.NodePort is null or 0 &&
                    oldSpec.Ports?.FirstOrDefault(p => p.Port == port.Port && p.Protocol == port.Protocol) is { } oldPort)
                {
                    port.NodePort = oldPort.NodePort;
                }
            }
        }
    }

    protected override void PrepareForUpdate(V1Service obj, V1Service old) => CarryOverAllocatedValues(obj, old);

    /// <summary>
    /// The update half of the service registry's <c>normalizeClusterIPs</c>: a client that knows only the
    /// singular field (or patched only it) has its change mirrored into <c>clusterIPs</c>, so that
    /// validation judges what it meant (a changed cluster IP "may not change once set").
    /// </summary>
    private static void NormalizeClusterIps(V1ServiceSpec spec, V1ServiceSpec oldSpec)
    {
        var oldIps = oldSpec.ClusterIPs ?? [];
        if (oldIps.Count > 0 && (spec.ClusterIPs?.Count ?? 0) == 0 && oldSpec.ClusterIP == spec.ClusterIP)
        {
            spec.ClusterIPs = [.. oldIps];
        }

        if (oldSpec.ClusterIP == spec.ClusterIP || !(spec.ClusterIPs ?? []).SequenceEqual(oldIps))
        {
            return;
        }

        spec.ClusterIPs = string.IsNullOrEmpty(spec.ClusterIP) ? null : [spec.ClusterIP];
    }

    protected override void Default(V1Service obj)
    {
        var spec = obj.Spec ??= new V1ServiceSpec();
        if (string.IsNullOrEmpty(spec.SessionAffinity))
        {
            spec.SessionAffinity = "None";
        }

        if (spec.SessionAffinity == "ClientIP")
        {
            var config = spec.SessionAffinityConfig ??= new V1SessionAffinityConfig();
            var clientIp = config.ClientIP ??= new V1ClientIPConfig();
            clientIp.TimeoutSeconds ??= 10800;
        }

        if (string.IsNullOrEmpty(spec.Type))
        {
            spec.Type = "ClusterIP";
        }

        foreach (var port in spec.Ports ?? [])
        {
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }

            if (port.TargetPort?.Value is null or "" or "0")
            {
                port.TargetPort = port.Port;
            }
        }

        if (spec.Type is "NodePort" or "LoadBalancer" && string.IsNullOrEmpty(spec.ExternalTrafficPolicy))
        {
            spec.ExternalTrafficPolicy = "Cluster";
        }

        if (spec.InternalTrafficPolicy is null && spec.Type is "NodePort" or "LoadBalancer" or "ClusterIP")
        {
            spec.InternalTrafficPolicy = "Cluster";
        }

        if (spec.Type == "LoadBalancer")
        {
            spec.AllocateLoadBalancerNodePorts ??= true;
        }

        if (spec.Type == "ExternalName")
        {
            return;
        }

        // The registry keeps clusterIP and clusterIPs[0] in step, whichever the client set.
        if (!string.IsNullOrEmpty(spec.ClusterIP) && (spec.ClusterIPs?.Count ?? 0) == 0)
        {
            spec.ClusterIPs = [spec.ClusterIP];
        }
        else if (string.IsNullOrEmpty(spec.ClusterIP) && spec.ClusterIPs is { Count: > 0 } clusterIps)
        {
            spec.ClusterIP = clusterIps[0];
        }

        if (string.IsNullOrEmpty(spec.IpFamilyPolicy))
        {
            spec.IpFamilyPolicy = "SingleStack";
        }

        if ((spec.IpFamilies?.Count ?? 0) == 0)
        {
            spec.IpFamilies = ["IPv4"];
        }
    }

    protected override void Validate(V1Service obj, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1ServiceSpec();
        var ports = spec.Ports ?? [];
        var headless = IsHeadless(spec);
        if (ports.Count == 0 && !headless && spec.Type != "ExternalName")
        {
            errors.Add(FieldErrors.Required(Spec.Child("ports")));
        }

        ValidateTypeSpecifics(spec, headless, errors);
        var portNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            ValidatePort(ports[i], ports.Count > 1, portNames, Spec.Child("ports").Index(i), errors);
        }

        if (spec.Selector is not null)
        {
            errors.AddRange(ObjectMetaValidation.ValidateLabels(spec.Selector, Spec.Child("selector")));
        }

        if (string.IsNullOrEmpty(spec.SessionAffinity))
        {
            errors.Add(FieldErrors.Required(Spec.Child("sessionAffinity")));
        }
        else if (!SessionAffinities.Contains(spec.SessionAffinity))
        {
            errors.Add(FieldErrors.NotSupported(Spec.Child("sessionAffinity"), spec.SessionAffinity, SessionAffinities));
        }

        ValidateSessionAffinityConfig(spec, errors);
        ValidateClusterIps(spec, headless, errors);
        var externalIps = spec.ExternalIPs ?? [];
        for (var i = 0; i < externalIps.Count; i++)
        {
            errors.AddRange(FormatValidation.IsValidIP(externalIps[i] ?? "")
                .Select(m => FieldErrors.Invalid(Spec.Child("externalIPs").Index(i), externalIps[i], m)));
        }

        if (string.IsNullOrEmpty(spec.Type))
        {
            errors.Add(FieldErrors.Required(Spec.Child("type")));
        }
        else if (!ServiceTypes.Contains(spec.Type))
        {
            errors.Add(FieldErrors.NotSupported(Spec.Child("type"), spec.Type, ServiceTypes));
        }

        ValidatePortUniqueness(spec, ports, errors);
        if ((spec.LoadBalancerSourceRanges?.Count ?? 0) > 0 && spec.Type != "LoadBalancer")
        {
            errors.Add(FieldErrors.Forbidden(Spec.Child("LoadBalancerSourceRanges"), "may only be used when `type` is 'LoadBalancer'"));
        }

        if (spec.AllocateLoadBalancerNodePorts is not null && spec.Type != "LoadBalancer")
        {
            errors.Add(FieldErrors.Forbidden(Spec.Child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"));
        }

        if (spec.Type == "LoadBalancer" && spec.AllocateLoadBalancerNodePorts is null)
        {
            errors.Add(FieldErrors.Required(FieldPath.Of("allocateLoadBalancerNodePorts")));
        }

        ValidateTrafficPolicies(spec, errors);
    }

    protected override void ValidateUpdate(V1Service obj, V1Service old, List<FieldError> errors)
    {
        var spec = obj.Spec ?? new V1ServiceSpec();
        var oldSpec = old.Spec ?? new V1ServiceSpec();
        if (spec.Type != "ExternalName" && oldSpec.Type != "ExternalName" && !(IsHeadless(spec) && IsHeadless(oldSpec)))
        {
            var clusterIps = spec.ClusterIPs ?? [];
            var oldClusterIps = oldSpec.ClusterIPs ?? [];
            var path = Spec.Child("clusterIPs");
            if (clusterIps.Count == oldClusterIps.Count)
            {
                for (var i = 0; i < oldClusterIps.Count; i++)
                {
                    if (oldClusterIps[i] != clusterIps[i])
                    {
                        errors.Add(FieldErrors.Invalid(path.Index(i), GoValue.Strings(clusterIps), "may not change once set"));
                    }
                }
            }
            else if (clusterIps.Count == 0)
            {
                errors.Add(FieldErrors.Invalid(path.Index(0), GoValue.Strings(clusterIps), "primary clusterIP can not be unset"));
            }
            else if (oldClusterIps.Count > 0 && oldClusterIps[0] != clusterIps[0])
            {
                errors.Add(FieldErrors.Invalid(path.Index(0), GoValue.Strings(clusterIps), "may not change once set"));
            }
        }

        Validate(obj, errors);
    }

    private static bool IsHeadless(V1ServiceSpec spec) => spec.ClusterIPs is { Count: > 0 } ips ? ips[0] == "None" : spec.ClusterIP == "None";

    private static void ValidateTypeSpecifics(V1ServiceSpec spec, bool headless, List<FieldError> errors)
    {
        switch (spec.Type)
        {
            case "LoadBalancer" when headless:
                errors.Add(FieldErrors.Invalid(Spec.Child("clusterIPs").Index(0), "None", "may not be set to 'None' for LoadBalancer services"));
                break;
            case "NodePort" when headless:
                errors.Add(FieldErrors.Invalid(Spec.Child("clusterIPs").Index(0), "None", "may not be set to 'None' for NodePort services"));
                break;
            case "ExternalName":
                if ((spec.ClusterIPs?.Count ?? 0) > 0 || !string.IsNullOrEmpty(spec.ClusterIP))
                {
                    errors.Add(FieldErrors.Forbidden(Spec.Child("clusterIPs"), "may not be set for ExternalName services"));
                }

                if ((spec.IpFamilies?.Count ?? 0) > 0)
                {
                    errors.Add(FieldErrors.Forbidden(Spec.Child("ipFamilies"), "may not be set for ExternalName services"));
                }

                if (spec.IpFamilyPolicy is not null)
                {
                    errors.Add(FieldErrors.Forbidden(Spec.Child("ipFamilyPolicy"), "may not be set for ExternalName services"));
                }

                var name = (spec.ExternalName ?? "").TrimEnd('.');
                if (name.Length > 0)
                {
                    errors.AddRange(FormatValidation.IsDns1123Subdomain(name).Select(m => FieldErrors.Invalid(Spec.Child("externalName"), name, m)));
                }
                else
                {
                    errors.Add(FieldErrors.Required(Spec.Child("externalName")));
                }

                break;
        }
    }

    private static void ValidatePort(V1ServicePort port, bool requireName, HashSet<string> names, FieldPath path, List<FieldError> errors)
    {
        ServicePortValidation.Validate(port.Name, port.Port, port.Protocol, port.AppProtocol, requireName, names, path, errors);
        PodSpecValidation.ValidatePortNumOrName(port.TargetPort, path.Child("targetPort"), errors);
    }

    private static void ValidateSessionAffinityConfig(V1ServiceSpec spec, List<FieldError> errors)
    {
        var path = Spec.Child("sessionAffinityConfig");
        if (spec.SessionAffinity == "ClientIP")
        {
            if (spec.SessionAffinityConfig?.ClientIP is null)
            {
                errors.Add(FieldErrors.Required(spec.SessionAffinityConfig is null ? path : path.Child("clientIP"), "when session affinity type is ClientIP"));
            }
            else if (spec.SessionAffinityConfig.ClientIP.TimeoutSeconds is not { } timeout)
            {
                errors.Add(FieldErrors.Required(path.Child("clientIP").Child("timeoutSeconds"), "when session affinity type is ClientIP"));
            }
            else if (timeout is <= 0 or > 86400)
            {
                errors.Add(FieldErrors.Invalid(path.Child("clientIP").Child("timeoutSeconds"), timeout, "must be greater than 0 and less than 86400"));
            }
        }
        else if (spec.SessionAffinity == "None" && spec.SessionAffinityConfig is not null)
        {
            errors.Add(FieldErrors.Forbidden(path, "must not be set when session affinity is None"));
        }
    }

    private static void ValidateClusterIps(V1ServiceSpec spec, bool headless, List<FieldError> errors)
    {
        if (spec.Type == "ExternalName")
        {
            return;
        }

        var clusterIps = spec.ClusterIPs ?? [];
        if (clusterIps.Count > 0 && !string.IsNullOrEmpty(spec.ClusterIP) && clusterIps[0] != spec.ClusterIP)
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("clusterIPs"), GoValue.Strings(clusterIps), "first value must match `clusterIP`"));
        }

        if (!headless)
        {
            for (var i = 0; i < clusterIps.Count; i++)
            {
                if (clusterIps[i] is { Length: > 0 } ip)
                {
                    errors.AddRange(FormatValidation.IsValidIP(ip).Select(m => FieldErrors.Invalid(Spec.Child("clusterIPs").Index(i), ip, m)));
                }
            }
        }

        if (spec.IpFamilyPolicy is { } policy && !IpFamilyPolicies.Contains(policy))
        {
            errors.Add(FieldErrors.NotSupported(Spec.Child("ipFamilyPolicy"), policy, IpFamilyPolicies));
        }

        var families = spec.IpFamilies ?? [];
        for (var i = 0; i < families.Count; i++)
        {
            if (!IpFamilies.Contains(families[i]))
            {
                errors.Add(FieldErrors.NotSupported(Spec.Child("ipFamilies").Index(i), families[i], IpFamilies));
            }
        }

        if (spec.IpFamilyPolicy == "SingleStack" && families.Count > 1)
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("ipFamilies"), GoValue.Strings(families), "when multiple IP families are specified, `ipFamilyPolicy` may not be SingleStack"));
        }
    }

    private static void ValidatePortUniqueness(V1ServiceSpec spec, IList<V1ServicePort> ports, List<FieldError> errors)
    {
        var nodePorts = new HashSet<(string?, int)>();
        var servicePorts = new HashSet<(string?, int)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var path = Spec.Child("ports").Index(i);
            if (spec.Type == "ClusterIP" && port.NodePort is not (null or 0))
            {
                errors.Add(FieldErrors.Forbidden(path.Child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
            }

            if (port.NodePort is { } nodePort and not 0 && !nodePorts.Add((port.Protocol, nodePort)))
            {
                errors.Add(FieldErrors.Duplicate(path.Child("nodePort"), nodePort));
            }

            if (!servicePorts.Add((port.Protocol, port.Port)))
            {
                var key = string.Create(CultureInfo.InvariantCulture,
                    $"core.ServicePort{{Name:\"\", Protocol:{GoValue.Quote(port.Protocol ?? "")}, AppProtocol:(*string)(nil), Port:{port.Port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}");
                errors.Add(FieldErrors.Duplicate(path, new GoValue(key)));
            }
        }
    }

    private static void ValidateTrafficPolicies(V1ServiceSpec spec, List<FieldError> errors)
    {
        var externallyAccessible = spec.Type is "LoadBalancer" or "NodePort" || (spec.Type == "ClusterIP" && (spec.ExternalIPs?.Count ?? 0) > 0);
        var external = spec.ExternalTrafficPolicy ?? "";
        if (!externallyAccessible)
        {
            if (external.Length > 0)
            {
                errors.Add(FieldErrors.Invalid(Spec.Child("externalTrafficPolicy"), external, "may only be set for externally-accessible services"));
            }
        }
        else if (external.Length == 0)
        {
            errors.Add(FieldErrors.Required(Spec.Child("externalTrafficPolicy")));
        }
        else if (!TrafficPolicies.Contains(external))
        {
            errors.Add(FieldErrors.NotSupported(Spec.Child("externalTrafficPolicy"), external, TrafficPolicies));
        }

        if (spec.InternalTrafficPolicy is null)
        {
            if (spec.Type is "NodePort" or "LoadBalancer" or "ClusterIP")
            {
                errors.Add(FieldErrors.Required(Spec.Child("internalTrafficPolicy")));
            }
        }
        else if (!TrafficPolicies.Contains(spec.InternalTrafficPolicy))
        {
            errors.Add(FieldErrors.NotSupported(Spec.Child("internalTrafficPolicy"), spec.InternalTrafficPolicy, TrafficPolicies));
        }
    }
}
