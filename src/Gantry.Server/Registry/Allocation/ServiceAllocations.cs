using System.Net;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Api;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Registry.Allocation;

/// <summary>
/// The Service part of the apiserver's service REST storage (<c>pkg/registry/core/service/storage/alloc.go</c>):
/// cluster IPs and node ports are handed out on create, taken or given up when an update changes the
/// type, and freed when the Service is deleted. The Services themselves are the source of truth: the
/// allocators live in memory and are rebuilt from the stored Services when the server starts
/// (<see cref="Rebuild"/>, the idea of the apiserver's repair loop).
/// </summary>
public sealed class ServiceAllocations(ClusterIpAllocator ips, NodePortAllocator ports, ILogger logger) : IAllocationHook
{
    private static readonly FieldPath Spec = FieldPath.Of("spec");

    public ResourceType Type { get; } = ResourceCatalog.Get("", "services");

    public ClusterIpAllocator ClusterIps => ips;

    public NodePortAllocator NodePorts => ports;

    /// <summary>
    /// Marks what the stored <paramref name="services"/> hold as taken. Call once, before the registry
    /// takes writes. A value held twice or out of the ranges is logged and left as it is.
    /// </summary>
    public void Rebuild(IEnumerable<V1Service> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var service in services)
        {
            foreach (var ip in ClusterIpsOf(service))
            {
                try
                {
                    ips.Allocate(ip);
                }
                catch (AllocationException ex)
                {
                    logger.LogWarning("Cluster IP {Ip} of service {Namespace}/{Name}: {Problem}", ip, service.Namespace(), service.Name(), ex.Message);
                }
            }

            foreach (var port in NodePortsOf(service))
            {
                try
                {
                    ports.Allocate(port);
                }
                catch (AllocationException ex)
                {
                    logger.LogWarning("Node port {Port} of service {Namespace}/{Name}: {Problem}", port, service.Namespace(), service.Name(), ex.Message);
                }
            }
        }
    }

    public IAllocationTransaction Allocate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, bool dryRun)
    {
        var service = (V1Service)obj;
        var before = (V1Service?)old;
        var transaction = new ServiceAllocationTransaction(ips, ports);
        try
        {
            CheckFamilies(service);
            if (before is null)
            {
                AllocateClusterIps(service, transaction);
            }
            else
            {
                UpdateClusterIps(service, before, transaction);
            }

            UpdateNodePorts(service, before, transaction);
            UpdateHealthCheckNodePort(service, before, transaction);
        }
        catch
        {
            transaction.Revert();
            throw;
        }

        if (dryRun)
        {
            transaction.Revert();
            return NoAllocation.Instance;
        }

        return transaction;
    }

    public void Release(JsonObject deleted)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        var service = KubernetesJson.Deserialize<V1Service>(deleted.ToJsonString());
        foreach (var ip in ClusterIpsOf(service))
        {
            ips.Release(ip);
        }

        foreach (var port in NodePortsOf(service))
        {
            ports.Release(port);
        }
    }

    /// <summary>The addresses a Service holds: none for ExternalName and headless Services.</summary>
    public static IEnumerable<IPAddress> ClusterIpsOf(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec ?? new V1ServiceSpec();
        if (spec.Type == "ExternalName")
        {
            return [];
        }

        var listed = spec.ClusterIPs is { Count: > 0 } list ? list : string.IsNullOrEmpty(spec.ClusterIP) ? [] : [spec.ClusterIP];
        return listed.Select(ip => IPAddress.TryParse(ip, out var parsed) ? parsed : null).OfType<IPAddress>().Distinct();
    }

    /// <summary>The node ports a Service holds, its health check node port included.</summary>
    public static IEnumerable<int> NodePortsOf(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec ?? new V1ServiceSpec();
        var held = (spec.Ports ?? []).Select(p => p.NodePort ?? 0).ToList();
        held.Add(spec.HealthCheckNodePort ?? 0);
        return held.Where(p => p != 0).Distinct();
    }

    /// <summary>This cluster is single-stack IPv4, as <c>initIPFamilyFields</c> enforces for one configured family.</summary>
    private static void CheckFamilies(V1Service service)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        if (spec.Type == "ExternalName")
        {
            return;
        }

        var errors = new List<FieldError>();
        var families = spec.IpFamilies ?? [];
        for (var i = 0; i < families.Count; i++)
        {
            if (families[i] != "IPv4")
            {
                errors.Add(FieldErrors.Invalid(Spec.Child("ipFamilies").Index(i), families[i], "not configured on this cluster"));
            }
        }

        if (spec.IpFamilyPolicy == "RequireDualStack")
        {
            errors.Add(FieldErrors.Invalid(Spec.Child("ipFamilyPolicy"), spec.IpFamilyPolicy, "this cluster is not configured for dual-stack services"));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(ResourceCatalog.Get("", "services"), service.Name(), errors);
        }
    }

    private void AllocateClusterIps(V1Service service, ServiceAllocationTransaction transaction)
    {
        var spec = service.Spec ??= new V1ServiceSpec();
        if (spec.Type == "ExternalName" || spec.ClusterIP == "None" || spec.ClusterIPs is ["None", ..])
        {
            return;
        }

        if (string.IsNullOrEmpty(spec.ClusterIP))
        {
            IPAddress next;
            try
            {
                next = ips.AllocateNext();
            }
            catch (AllocationException ex)
            {
                throw new ApiException(500, "InternalError", $"Internal error occurred: failed to allocate a serviceIP: {ex.Message}");
            }

            transaction.TakenIps.Add(next);
            spec.ClusterIP = next.ToString();
            spec.ClusterIPs = [spec.ClusterIP];
            return;
        }

        var requested = IPAddress.Parse(spec.ClusterIP);
        try
        {
            ips.Allocate(requested);
        }
        catch (AllocationException ex)
        {
            var error = FieldErrors.Invalid(Spec.Child("clusterIPs"), GoValue.Strings(spec.ClusterIPs ?? [spec.ClusterIP]),
                $"failed to allocate IP {spec.ClusterIP}: {ex.Message}");
            throw ApiException.Invalid(Type, service.Name(), [error]);
        }

        transaction.TakenIps.Add(requested);
        spec.ClusterIPs ??= [spec.ClusterIP];
    }

    /// <summary><c>updateClusterIPs</c> for one family: to or from ExternalName is the only change that allocates or frees.</summary>
    private void UpdateClusterIps(V1Service service, V1Service old, ServiceAllocationTransaction transaction)
    {
        var type = service.Spec?.Type;
        var oldType = old.Spec?.Type;
        if (oldType == "ExternalName" && type != "ExternalName")
        {
            AllocateClusterIps(service, transaction);
        }
        else if (oldType != "ExternalName" && type == "ExternalName")
        {
            transaction.GivenUpIps.AddRange(ClusterIpsOf(old));
        }
    }

    /// <summary><c>initNodePorts</c> on create and <c>updateNodePorts</c> on update; node ports the old version held and the new one does not are given up.</summary>
    private void UpdateNodePorts(V1Service service, V1Service? old, ServiceAllocationTransaction transaction)
    {
        var spec = service.Spec ??= new V1ServiceSpec();
        var held = old is null ? [] : PortNodePorts(old).ToHashSet();
        if (spec.Type is "NodePort" or "LoadBalancer")
        {
            var shouldAllocate = spec.Type == "NodePort" || spec.AllocateLoadBalancerNodePorts != false;
            var servicePorts = spec.Ports ?? [];
            var byServicePort = new Dictionary<int, int>();
            for (var i = 0; i < servicePorts.Count; i++)
            {
                var port = servicePorts[i];
                if (port.NodePort is null or 0 && !shouldAllocate)
                {
                    continue;
                }

                if (old is not null)
                {
                    port.NodePort = port.NodePort is { } given and not 0
                        ? TakeUnlessHeld(service, i, given, held, transaction)
                        : TakeNextPort(transaction);
                    continue;
                }

                // On create the same service port over two protocols shares one node port.
                if (!byServicePort.TryGetValue(port.Port, out var shared))
                {
                    var requested = FindRequested(port.Port, servicePorts);
                    port.NodePort = requested != 0 ? TakeUnlessHeld(service, i, requested, held, transaction) : TakeNextPort(transaction);
                    byServicePort[port.Port] = port.NodePort.Value;
                }
                else if (port.NodePort is null or 0)
                {
                    port.NodePort = shared;
                }
                else if (port.NodePort != shared)
                {
                    TakeUnlessHeld(service, i, port.NodePort.Value, held, transaction);
                }
            }
        }

        var kept = PortNodePorts(service).ToHashSet();
        transaction.GivenUpPorts.AddRange(held.Where(p => !kept.Contains(p)));
    }

    private static IEnumerable<int> PortNodePorts(V1Service service) =>
        (service.Spec?.Ports ?? []).Select(p => p.NodePort ?? 0).Where(p => p != 0);

    /// <summary>Takes <paramref name="port"/> unless the old version already held it or this write already took it.</summary>
    private int TakeUnlessHeld(V1Service service, int index, int port, HashSet<int> held, ServiceAllocationTransaction transaction)
    {
        if (!held.Contains(port) && !transaction.TakenPorts.Contains(port))
        {
            TakePort(service, index, port, transaction);
        }

        return port;
    }

    private int TakeNextPort(ServiceAllocationTransaction transaction)
    {
        try
        {
            var next = ports.AllocateNext();
            transaction.TakenPorts.Add(next);
            return next;
        }
        catch (AllocationException ex)
        {
            throw new ApiException(500, "InternalError", $"Internal error occurred: failed to allocate a nodePort: {ex.Message}");
        }
    }

    private void TakePort(V1Service service, int index, int port, ServiceAllocationTransaction transaction)
    {
        try
        {
            ports.Allocate(port);
        }
        catch (AllocationException ex)
        {
            var error = FieldErrors.Invalid(Spec.Child("ports").Index(index).Child("nodePort"), port, ex.Message);
            throw ApiException.Invalid(Type, service.Name(), [error]);
        }

        transaction.TakenPorts.Add(port);
    }

    /// <summary><c>findRequestedNodePort</c>: a node port the user gave any entry of the same service port.</summary>
    private static int FindRequested(int servicePort, IList<V1ServicePort> all) =>
        all.FirstOrDefault(p => p.Port == servicePort && p.NodePort is not (null or 0))?.NodePort ?? 0;

    /// <summary>
    /// <c>allocHealthCheckNodePort</c>/<c>updateHealthCheckNodePort</c>: a LoadBalancer with
    /// <c>externalTrafficPolicy: Local</c> needs a node port for its health check.
    /// </summary>
    private void UpdateHealthCheckNodePort(V1Service service, V1Service? old, ServiceAllocationTransaction transaction)
    {
        var spec = service.Spec ??= new V1ServiceSpec();
        var needs = NeedsHealthCheck(spec);
        var needed = old?.Spec is { } oldSpec && NeedsHealthCheck(oldSpec);
        var oldPort = old?.Spec?.HealthCheckNodePort ?? 0;
        if (needed && needs)
        {
            spec.HealthCheckNodePort ??= oldPort;
            if (spec.HealthCheckNodePort != oldPort)
            {
                var error = FieldErrors.Invalid(Spec.Child("healthCheckNodePort"), spec.HealthCheckNodePort,
                    "cannot change healthCheckNodePort on loadBalancer service with externalTraffic=Local during update");
                throw ApiException.Invalid(Type, service.Name(), [error]);
            }

            return;
        }

        if (needed && oldPort != 0)
        {
            transaction.GivenUpPorts.Add(oldPort);
            spec.HealthCheckNodePort = null;
        }

        if (!needs)
        {
            return;
        }

        try
        {
            if (spec.HealthCheckNodePort is { } requested and not 0)
            {
                try
                {
                    ports.Allocate(requested);
                }
                catch (AllocationException ex)
                {
                    throw new AllocationException(ex.Kind, $"failed to allocate requested HealthCheck NodePort {requested}: {ex.Message}");
                }

                transaction.TakenPorts.Add(requested);
            }
            else
            {
                var next = ports.AllocateNext();
                transaction.TakenPorts.Add(next);
                spec.HealthCheckNodePort = next;
            }
        }
        catch (AllocationException ex)
        {
            throw new ApiException(500, "InternalError", $"Internal error occurred: {ex.Message}");
        }
    }

    private static bool NeedsHealthCheck(V1ServiceSpec spec) => spec.Type == "LoadBalancer" && spec.ExternalTrafficPolicy == "Local";
}
