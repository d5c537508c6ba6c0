using Gantry.Server.Api;
using Gantry.Server.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' service-account controller: every namespace that is not being deleted has a ServiceAccount named
/// <c>default</c>, made again when it is deleted. Pods that name no service account run as it.
/// </summary>
public sealed class ServiceAccountsController : BackgroundService
{
    public const string DefaultName = "default";

    private const int Workers = 1;

    private readonly SharedInformers _informers;
    private readonly Informer<V1Namespace> _namespaces;
    private readonly Informer<V1ServiceAccount> _serviceAccounts;
    private readonly InProcessClient _client;
    private readonly ILogger<ServiceAccountsController> _logger;
    private readonly WorkQueue<string> _queue;

    public ServiceAccountsController(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<ServiceAccountsController> logger)
    {
        _informers = informers;
        _namespaces = informers.For<V1Namespace>();
        _serviceAccounts = informers.For<V1ServiceAccount>();
        _client = client;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _namespaces.OnChange((_, current) =>
        {
            if (current is not null)
            {
                _queue.Add(current.Name());
            }
        });
        _serviceAccounts.OnChange((old, current) =>
        {
            if (current is null && old?.Name() == DefaultName)
            {
                _queue.Add(old.Namespace());
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (ns, ex) => _logger.LogWarning(ex, "Making the default service account of {Namespace} failed", ns), stoppingToken);

    internal async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        if (!ActiveNamespaces.AcceptsContent(_namespaces.Get(null, ns)) || _serviceAccounts.Get(ns, DefaultName) is not null)
        {
            return;
        }

        try
        {
            await _client.CreateAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = DefaultName, NamespaceProperty = ns } }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409 || ActiveNamespaces.IsTerminatingRefusal(ex))
        {
            // Made meanwhile, or the namespace began its deletion: nothing to do, as kube's controller ignores both.
        }
    }
}
