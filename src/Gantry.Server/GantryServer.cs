using System.Net;
using Gantry.Core.Resources;
using Gantry.Server.Admission.Policies;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Api;
using Gantry.Server.Api.Metrics;
using Gantry.Server.Api.Proxy;
using Gantry.Server.Api.Reviews;
using Gantry.Server.Certificates;
using Gantry.Server.ClusterDns;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Server.Kernel;
using Gantry.Server.Monitoring;
using Gantry.Server.Scheduling;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Allocation;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Registry.Quota;
using Gantry.Server.Registry.Rules;
using Gantry.Server.Security;
using Gantry.Server.Security.ServiceAccounts;
using Gantry.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server;

/// <summary>
/// The composition root of the API server: store, watch cache, registry, HTTP endpoints and the
/// server's own loops (bootstrap objects, namespace deletion, compaction, bookmarks).
/// </summary>
public sealed class GantryServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IVersionedStore _store;
    private readonly WatchCache _cache;
    private readonly WebhookClient _webhookClient;

    private GantryServer(
        WebApplication app, IVersionedStore store, WatchCache cache, WebhookClient webhookClient, ObjectRegistry registry, ClusterCredentials credentials, string kubeconfigPath)
    {
        _app = app;
        _store = store;
        _cache = cache;
        _webhookClient = webhookClient;
        Registry = registry;
        Credentials = credentials;
        KubeconfigPath = kubeconfigPath;
    }

    public ObjectRegistry Registry { get; }

    public ClusterCredentials Credentials { get; }

    public string KubeconfigPath { get; }

    /// <summary>Faults when the server can no longer serve correctly (its cache lost the store).</summary>
    public Task Completion => _cache.Completion;

    public static async Task<GantryServer> StartAsync(ServerOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var clusterIps = new ClusterIpAllocator(options.ServiceClusterIpRange);
        var credentials = ClusterCredentials.LoadOrCreate(options.DataDirectory, [clusterIps.First]);
        var kubeconfigPath = Kubeconfig.PathIn(options.DataDirectory);
        await File.WriteAllTextAsync(kubeconfigPath, Kubeconfig.Render(options.Url, credentials.CaPem, credentials.AdminToken), cancellationToken)
            .ConfigureAwait(false);
        File.SetUnixFileMode(kubeconfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var store = await SqliteVersionedStore.OpenAsync(Path.Combine(options.DataDirectory, "state.db"), loggerFactory.CreateLogger<SqliteVersionedStore>(), cancellationToken)
            .ConfigureAwait(false);
        var cache = new WatchCache(store, ResourceCatalog.KeyPrefixes, ObjectIndex.Build, loggerFactory.CreateLogger<WatchCache>());
        await cache.StartAsync(cancellationToken).ConfigureAwait(false);
        var time = TimeProvider.System;
        // The allocators start from the stored Services, before the registry takes its first write.
        var serviceAllocations = new ServiceAllocations(
            clusterIps, new NodePortAllocator(), loggerFactory.CreateLogger<ServiceAllocations>());
        serviceAllocations.Rebuild(StoredServices.In(cache));
        // The authorizer comes before the registry, whose RBAC escalation admission asks it what a writer may do.
        var informers = new SharedInformers(cache, loggerFactory);
        var nodeRole = new NodeRole(cache);
        var rbacPolicy = new RbacAuthorizer(informers);
        var authorizer = new RequestAuthorizer(nodeRole, rbacPolicy);
        var webhookClient = new WebhookClient(new ServiceEndpoints(cache));
        var customTypes = new CustomResourceTypes(cache, webhookClient);
        var matching = new WebhookMatching(cache, customTypes);
        var policies = new PolicyAdmission(new AdmissionPolicies(cache), new PolicyParams(cache, customTypes), matching, cache);
        var webhooks = new WebhookAdmission(
            new WebhookConfigurations(cache), matching, webhookClient, loggerFactory.CreateLogger<WebhookAdmission>(), policies);
        var registry = new ObjectRegistry(
            store,
            cache,
            type => type.Custom is null ? ResourceRulesCatalog.For(type) : new CustomResourceRules(type),
            time,
            [serviceAllocations],
            [new ServiceAccountAdmission(cache), new LimitRanger(cache)],
            [
                new RbacEscalationAdmission(authorizer, cache), new DefaultStorageClassAdmission(cache), new DefaultIngressClassAdmission(cache), new EventsV1Validation(), new ClaimResizeAdmission(cache),
                new SigningRequestAdmission(authorizer),
            ],
            [new ResourceQuotaAdmission(time)],
            webhooks);
        await BootstrapObjects.EnsureAsync(registry, cancellationToken).ConfigureAwait(false);
        var advertised = KubernetesServiceObjects.AdvertiseAddress(options.Address);
        await BootstrapObjects.EnsureKubernetesServiceAsync(
            registry, serviceAllocations.ClusterIps.First, advertised, options.ApiPort, cancellationToken).ConfigureAwait(false);
        await ClusterInfo.EnsureAsync(registry, ClusterInfo.AdvertisedUrl(options), credentials.CaPem, cancellationToken).ConfigureAwait(false);
        var dnsListener = await ClusterDnsHosting.StartAsync(options, registry, cancellationToken).ConfigureAwait(false);

        // The binary's own folder as content root: the default (the working directory) would have
        // ASP.NET watch that whole tree for configuration changes.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(cache);
        builder.Services.AddSingleton(customTypes);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<CollectionWriter>();
        builder.Services.AddSingleton<PatchHandler>();
        var bootstrapTokens = new BootstrapTokenAuthenticator(cache, time);
        var serviceAccountTokens = new ServiceAccountTokens(ServiceAccountKey.LoadOrCreate(options.DataDirectory), time);
        builder.Services.AddSingleton(serviceAccountTokens);
        builder.Services.AddSingleton<TokenRequestSubresource>();
        var nodeProxy = new NodeProxy(registry, credentials.AgentClientCertificate);
        builder.Services.AddSingleton(nodeProxy);
        builder.Services.AddSingleton<INodeStatsSource>(nodeProxy);
        builder.Services.AddSingleton<ProxyForwarder>();
        builder.Services.AddSingleton<ProxySubresource>();
        builder.Services.AddSingleton<ResourceHandler>();
        builder.Services.AddSingleton<ExplainEndpoint>();
        builder.Services.AddSingleton<HealthEndpoint>();
        builder.Services.AddSingleton<ResourceMetricsScraper>();
        builder.Services.AddSingleton<ResourceMetricsEndpoint>();
        builder.Services.AddSingleton(nodeRole);
        builder.Services.AddSingleton<IRbacPolicySource>(rbacPolicy);
        builder.Services.AddSingleton(authorizer);
        builder.Services.AddSingleton<AccessReview>();
        builder.Services.AddSingleton<Impersonation>();
        builder.Services.AddSingleton<SelfSubjectReviews>();
        builder.Services.AddSingleton<SubjectAccessReviews>();
        builder.Services.AddSingleton<TokenReviews>();
        builder.Services.AddSingleton<Api.ComponentStatuses.ComponentStatusEndpoint>();
        builder.Services.AddSingleton<ApiDispatcher>();
        builder.Services.AddSingleton<ApiErrorHandling>();
        builder.Services.AddSingleton<LongRunningRequests>();
        builder.Services.AddSingleton<RequestMetrics>();
        builder.Services.AddSingleton<MetricsEndpoint>();
        var nodeClients = new NodeClientAddresses(time);
        var client = new InProcessClient(registry, "gantry-controller-manager");
        builder.Services.AddSingleton(client);
        var legacyTokenUse = new LegacyTokenUse(client, time, loggerFactory.CreateLogger<LegacyTokenUse>());
        builder.Services.AddHostedService(_ => legacyTokenUse);
        var tokens = new TokenAuthentication(
            credentials.AdminToken, bootstrapTokens, new ServiceAccountAuthenticator(serviceAccountTokens, cache, time, legacyTokenUse));
        builder.Services.AddSingleton(tokens);
        builder.Services.AddSingleton(new RequestAuthentication(tokens, new ClientCertificateAuthenticator(credentials.CaPem, time), nodeClients));
        builder.Services.AddSingleton<IVersionedStore>(store);
        builder.Services.AddHostedService<NamespaceController>();
        builder.Services.AddHostedService<Controllers.CustomResources.CustomResourceDefinitionController>();
        builder.Services.AddHostedService<StoreMaintenance>();
        builder.Services.AddSingleton(new EventRecorder(client, "gantry-controller-manager", time, loggerFactory.CreateLogger<EventRecorder>()));
        builder.Services.AddSingleton(informers);
        var allocator = new Allocator(new ResourceLedger(), time);
        var allocation = new AllocationLoop(allocator);
        builder.Services.AddSingleton(allocator);
        builder.Services.AddSingleton(allocation);
        builder.Services.AddSingleton(new PodLedgerSync(informers, allocator.Ledger, allocation, PodScheduler.Framework.Id));
        builder.Services.AddHostedService(services => services.GetRequiredService<AllocationLoop>());
        builder.Services.AddSingleton<Mesos.MesosMaster>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Mesos.MesosMaster>());
        builder.Services.AddSingleton<Mesos.SchedulerEndpoint>();
        builder.Services.AddSingleton<Mesos.OperatorEndpoint>();
        builder.Services.AddSingleton<Mesos.MasterStateEndpoint>();
        builder.Services.AddSingleton<Marathon.MarathonApps>();
        builder.Services.AddSingleton<Marathon.Events.MarathonEvents>();
        builder.Services.AddSingleton<Marathon.MarathonEndpoint>();
        builder.Services.AddSingleton<PodScheduler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PodScheduler>());
        builder.Services.AddSingleton(new NodeLifecycleOptions());
        builder.Services.AddHostedService<NodeLifecycleController>();
        builder.Services.AddSingleton(new NodeIpamOptions(options.ClusterCidr, options.NodeCidrMaskSize, options.ServiceClusterIpRange));
        builder.Services.AddHostedService<NodeIpamController>();
        builder.Services.AddHostedService<ReplicationControllerController>();
        builder.Services.AddHostedService<ReplicaSetController>();
        builder.Services.AddHostedService<DaemonSetController>();
        builder.Services.AddHostedService<StatefulSetController>();
        builder.Services.AddHostedService<DeploymentController>();
        builder.Services.AddHostedService<JobController>();
        builder.Services.AddHostedService<CronJobController>();
        builder.Services.AddHostedService<DisruptionController>();
        builder.Services.AddHostedService<ResourceQuotaController>();
        builder.Services.AddHostedService<Controllers.Volumes.PersistentVolumeController>();
        builder.Services.AddHostedService<Controllers.Volumes.ClaimProtectionController>();
        builder.Services.AddHostedService<Controllers.Volumes.EphemeralVolumeController>();
        builder.Services.AddHostedService<Controllers.Volumes.VolumeProtectionController>();
        builder.Services.AddHostedService<Controllers.Autoscaling.HorizontalPodAutoscalerController>();
        builder.Services.AddHostedService<TtlAfterFinishedController>();
        builder.Services.AddHostedService<GarbageCollector>();
        builder.Services.AddHostedService<PodGarbageCollector>();
        builder.Services.AddHostedService<EndpointsController>();
        builder.Services.AddHostedService<EndpointSliceController>();
        builder.Services.AddHostedService<ServiceAccountsController>();
        builder.Services.AddSingleton(new RootCaBundle(credentials.CaPem));
        builder.Services.AddHostedService<RootCaPublisher>();
        builder.Services.AddHostedService<ServiceAccountTokenController>();
        builder.Services.AddHostedService<ClusterRoleAggregationController>();
        builder.Services.AddSingleton(new ClusterSigner(credentials.CertificateAuthority, ClusterSigner.DefaultSigningDuration));
        builder.Services.AddHostedService<CertificateSigningController>();
        builder.Services.AddHostedService<SigningRequestCleaner>();
        builder.Services.AddClusterDns(dnsListener, options, informers, nodeClients, time);
        // Last: it starts the informers every loop above has asked for.
        builder.Services.AddHostedService<InformerHost>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 3 * 1024 * 1024;
            // kube-apiserver names no server, and a proxied backend's own Server header must not be doubled.
            kestrel.AddServerHeader = false;
            void Https(ListenOptions listen)
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                // Any client certificate is taken in the handshake and judged by RequestAuthentication, as kube-apiserver
                // requests one without verifying it: a refused certificate is a 401, not a failed handshake.
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = credentials.ServerCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }

            kestrel.Listen(options.Address, options.ApiPort, Https);
            // The kubernetes Service sends pods to the advertised address: a server bound to loopback listens there too,
            // or no pod could reach it (a pod's loopback is its own).
            if (IPAddress.IsLoopback(options.Address) && !IPAddress.IsLoopback(advertised))
            {
                kestrel.Listen(advertised, options.ApiPort, Https);
            }
        });

        var app = builder.Build();
        var authentication = app.Services.GetRequiredService<RequestAuthentication>();
        var errors = app.Services.GetRequiredService<ApiErrorHandling>();
        var longRunning = app.Services.GetRequiredService<LongRunningRequests>();
        var requestMetrics = app.Services.GetRequiredService<RequestMetrics>();
        var impersonation = app.Services.GetRequiredService<Impersonation>();
        var dispatcher = app.Services.GetRequiredService<ApiDispatcher>();
        app.Run(context => authentication.InvokeAsync(context, () => requestMetrics.InvokeAsync(context, () => longRunning.InvokeAsync(context,
            () => errors.InvokeAsync(context, () => impersonation.InvokeAsync(context, () => dispatcher.HandleAsync(context)))))));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new GantryServer(app, store, cache, webhookClient, registry, credentials, kubeconfigPath);
    }

    public async ValueTask DisposeAsync()
    {
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopping.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        await _cache.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _webhookClient.Dispose();
    }
}
