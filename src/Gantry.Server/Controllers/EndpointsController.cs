using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' Endpoints controller: keeps, for every Service with a selector, an Endpoints object of
/// the same name listing the selected pods' addresses (ready and not ready) under the ports they serve
/// (<see cref="EndpointSubsets"/>). Driven by the Service, pod and Endpoints informers: a pod turning
/// ready is in its Services' Endpoints as soon as the change is seen. Services without a selector are
/// left alone; the Endpoints of a deleted Service are deleted.
/// </summary>
public sealed class EndpointsController : BackgroundService
{
    private const int Workers = 3;

    /// <summary>The label that marks a headless Service's Endpoints.</summary>
    private const string HeadlessLabel = "service.kubernetes.io/headless";

    private readonly SharedInformers _informers;
    private readonly Informer<V1Service> _services;
    private readonly Informer<V1Pod> _pods;
    private readonly Informer<V1Endpoints> _endpoints;
    private readonly InProcessClient _client;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _queue;

    public EndpointsController(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<EndpointsController> logger)
    {
        ArgumentNullException.ThrowIfNull(informers);
        _informers = informers;
        _services = informers.For<V1Service>();
        _pods = informers.For<V1Pod>();
        _endpoints = informers.For<V1Endpoints>();
        _client = client;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        ServiceQueue.Follow(_queue, _services, _pods);
        // A managed Endpoints object someone deleted is recreated (onEndpointsDelete).
        _endpoints.OnChange((old, current) =>
        {
            if (current is null && old is not null)
            {
                _queue.Add(ServiceQueue.Key(old.Metadata));
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (key, ex) => _logger.LogWarning(ex, "Syncing the endpoints of service {Key} failed", key), stoppingToken);

    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ServiceQueue.Split(key);
        var service = _services.Get(ns, name);
        var current = _endpoints.Get(ns, name);
        if (service is null)
        {
            if (current is not null)
            {
                await DeleteAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (!EndpointPods.HasSelector(service) || service.Spec?.Type == "ExternalName")
        {
            return;
        }

        var subsets = EndpointSubsets.Compute(service, _pods.ListInNamespace(ns));
        var labels = Labels(service);
        if (current is not null && SameJson(current.Subsets, subsets) && SameJson(current.Metadata.Labels, labels))
        {
            return;
        }

        if (current is null)
        {
            var created = new V1Endpoints
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
                Subsets = subsets.Count == 0 ? null : subsets,
            };
            try
            {
                await _client.CreateAsync(created, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Created by an earlier sync the Endpoints informer has not seen yet; its add event does
                // not queue the Service, so look again once the informer has caught up.
                _queue.Retry(key);
            }

            return;
        }

        current.Subsets = subsets.Count == 0 ? null : subsets;
        current.Metadata.Labels = labels;
        try
        {
            await _client.UpdateAsync(current, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            _queue.Add(key);
        }
    }

    /// <summary>The Service's labels, with the headless marker for a Service without a cluster IP.</summary>
    private static Dictionary<string, string> Labels(V1Service service)
    {
        var labels = new Dictionary<string, string>(service.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (service.Spec?.ClusterIP == "None")
        {
            labels[HeadlessLabel] = "";
        }
        else
        {
            labels.Remove(HeadlessLabel);
        }

        return labels;
    }

    private async Task DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync<V1Endpoints>(ns, name, DeleteRequest.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
    }

    private static bool SameJson(object? a, object? b) => Json(a) == Json(b);

    /// <summary>A comparable form: an empty list and no list are the same, and label order does not matter.</summary>
    private static string Json(object? value) => value switch
    {
        null => "",
        System.Collections.ICollection { Count: 0 } => "",
        IDictionary<string, string> map => KubernetesJson.Serialize(new SortedDictionary<string, string>(map, StringComparer.Ordinal)),
        _ => KubernetesJson.Serialize(value),
    };
}
