using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' EndpointSlice controller: keeps, for every Service with a selector, EndpointSlices
/// (discovery.k8s.io/v1) labelled <c>kubernetes.io/service-name</c> and owned by the Service, holding
/// the selected pods as endpoints with their ready, serving and terminating conditions
/// (<see cref="EndpointSliceMath"/>). A slice that keeps its port set is updated in place, missing
/// ones are created and surplus ones deleted; the garbage collector removes the slices of a deleted
/// Service through their owner reference. Driven by the Service, pod and EndpointSlice informers.
/// </summary>
public sealed class EndpointSliceController : BackgroundService
{
    private const int Workers = 3;

    private readonly SharedInformers _informers;
    private readonly Informer<V1Service> _services;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1EndpointSlice> _slices;
    private readonly InProcessClient _client;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _queue;

    public EndpointSliceController(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<EndpointSliceController> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _informers = informers;
        _services = informers.For<V1Service>();
        _pods = informers.For<V1Pod>();
        _slices = informers.For<V1EndpointSlice>();
        _client = client;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        ServiceQueue.Follow(_queue, _services, _pods);
        _slices.OnChange((old, current) =>
        {
            if ((current ?? old) is { } slice && IsManaged(slice) && Label(slice, EndpointSliceMath.ServiceNameLabel) is { } service)
            {
                _queue.Add($"{slice.Namespace()}/{service}");
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing the endpoint slices of service {Key} failed", key), stoppingToken);

    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ServiceQueue.Split(key);
        var service = _services.Get(ns, name);
        if (service is null || !EndpointPods.HasSelector(service) || service.Spec?.Type == "ExternalName" || service.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var existing = _slices.ListInNamespace(ns)
            .Where(s => IsManaged(s) && Label(s, EndpointSliceMath.ServiceNameLabel) == name)
            .OrderBy(s => s.Name(), StringComparer.Ordinal)
            .ToList();
        // Slices a previous Service of the same name owned are not this one's to reuse.
        var stale = existing.Where(s => !OwnerReferences.IsControlledBy(s.Metadata, service.Uid())).ToList();
        var reusable = existing.Except(stale).ToList();
        var labels = EndpointSliceMath.Labels(service);
        foreach (var content in EndpointSliceMath.Desired(service, _pods.ListInNamespace(ns)))
        {
            var slice = reusable.FirstOrDefault(s => EndpointSliceMath.PortKey(s.Ports ?? []) == content.PortKey);
            if (slice is null)
            {
                await CreateAsync(service, content, labels, cancellationToken).ConfigureAwait(false);
                continue;
            }

            reusable.Remove(slice);
            if (!Holds(slice, content, labels))
            {
                slice.Metadata.Labels = labels;
                slice.Ports = content.Ports.Count == 0 ? null : [.. content.Ports];
                slice.Endpoints = [.. content.Endpoints];
                await _client.UpdateAsync(slice, cancellationToken).ConfigureAwait(false);
            }
        }

        List<V1EndpointSlice> surplusSlices = [.. reusable, .. stale];
        foreach (var surplus in surplusSlices)
        {
            try
            {
                await _client.DeleteAsync<V1EndpointSlice>(ns, surplus.Name(), DeleteRequest.Default, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
            }
        }
    }

    private async Task CreateAsync(V1Service service, EndpointSliceContent content, Dictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta
            {
                GenerateName = service.Name() + "-",
                NamespaceProperty = service.Namespace(),
                Labels = labels,
                OwnerReferences = [OwnerReferences.NewControllerRef(service)],
            },
            AddressType = "IPv4",
            Ports = content.Ports.Count == 0 ? null : [.. content.Ports],
            Endpoints = [.. content.Endpoints],
        };
        await _client.CreateAsync(slice, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsManaged(V1EndpointSlice slice) =>
        Label(slice, EndpointSliceMath.ManagedByLabel) == EndpointSliceMath.ControllerName;

    private static string? Label(V1EndpointSlice slice, string key) =>
        slice.Metadata.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    private static bool Holds(V1EndpointSlice slice, EndpointSliceContent content, Dictionary<string, string> labels) =>
        Json(slice.Endpoints) == Json(content.Endpoints) &&
        Json(slice.Ports) == Json(content.Ports) &&
        Json(slice.Metadata.Labels) == Json(labels);

    /// <summary>A comparable form: an empty list and no list are the same, and label order does not matter.</summary>
    private static string Json(object? value) => value switch
    {
        null => "",
        System.Collections.ICollection { Count: 0 } => "",
        IDictionary<string, string> map => KubernetesJson.Serialize(new SortedDictionary<string, string>(map, StringComparer.Ordinal)),
        _ => KubernetesJson.Serialize(value),
    };
}
