using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' root-ca-cert-publisher: every namespace that is not being deleted has a ConfigMap
/// <c>kube-root-ca.crt</c> holding the cluster CA as <c>ca.crt</c>, which pods' service account volumes project so
/// that in-cluster clients can check the API server's certificate; it is made again when deleted and put back when
/// changed.
/// </summary>
public sealed class RootCaPublisher : BackgroundService
{
    public const string ConfigMapName = "kube-root-ca.crt";

    public const string DataKey = "ca.crt";

    private const int Workers = 1;

    private const string DescriptionAnnotation = "kubernetes.io/description";

    private const string Description =
        "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
        "No other usage is guaranteed across distributions of Kubernetes clusters.";

    private readonly SharedInformers _informers;
    private readonly Informer<V1Namespace> _namespaces;
    private readonly Informer<V1ConfigMap> _configMaps;
    private readonly InProcessClient _client;
    private readonly string _caPem;
    private readonly ILogger<RootCaPublisher> _logger;
    private readonly WorkQueue<string> _queue;

    public RootCaPublisher(SharedInformers informers, InProcessClient client, RootCaBundle bundle, TimeProvider time, ILogger<RootCaPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        _informers = informers;
        _namespaces = informers.For<V1Namespace>();
        _configMaps = informers.For<V1ConfigMap>();
        _client = client;
        _caPem = bundle.Pem;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _namespaces.OnChange((_, current) =>
        {
            if (current is not null)
            {
                _queue.Add(current.Name());
            }
        });
        _configMaps.OnChange((old, current) =>
        {
            if ((current ?? old) is { } configMap && configMap.Name() == ConfigMapName)
            {
                _queue.Add(configMap.Namespace());
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (ns, ex) => _logger.LogWarning(ex, "Publishing the root CA in {Namespace} failed", ns), stoppingToken);

    internal async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        if (!ActiveNamespaces.AcceptsContent(_namespaces.Get(null, ns)))
        {
            return;
        }

        try
        {
            if (_configMaps.Get(ns, ConfigMapName) is not { } current)
            {
                await _client.CreateAsync(
                    new V1ConfigMap
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Name = ConfigMapName,
                            NamespaceProperty = ns,
                            Annotations = new Dictionary<string, string> { [DescriptionAnnotation] = Description },
                        },
                        Data = new Dictionary<string, string> { [DataKey] = _caPem },
                    },
                    cancellationToken).ConfigureAwait(false);
                return;
            }

            if (current.Data?.Count == 1 && current.Data.TryGetValue(DataKey, out var pem) && pem == _caPem &&
                current.Metadata.Annotations is { } annotations && annotations.TryGetValue(DescriptionAnnotation, out var description) && description == Description)
            {
                return;
            }

            await _client.MutateAsync<V1ConfigMap>(ns, ConfigMapName, configMap =>
            {
                configMap.Data = new Dictionary<string, string> { [DataKey] = _caPem };
                configMap.Metadata.Annotations ??= new Dictionary<string, string>();
                configMap.Metadata.Annotations[DescriptionAnnotation] = Description;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409 || ActiveNamespaces.IsTerminatingRefusal(ex))
        {
            // Changed or gone meanwhile (the informer will bring the key back), or the namespace began its deletion.
        }
    }
}

/// <summary>The cluster CA, in PEM, that the <see cref="RootCaPublisher"/> publishes.</summary>
public sealed record RootCaBundle(string Pem);
