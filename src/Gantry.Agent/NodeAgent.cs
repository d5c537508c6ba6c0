using System.Net;
using Gantry.Agent.Cgroups;
using Gantry.Agent.Cleanup;
using Gantry.Agent.Images;
using Gantry.Agent.Network;
using Gantry.Agent.Node;
using Gantry.Agent.Pods;
using Gantry.Agent.Policy;
using Gantry.Agent.Proxy;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Serving;
using Gantry.Agent.Stats;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent;

/// <summary>
/// The node agent: holds the node's lock, serves logs/exec/port-forward and resource usage, registers and heartbeats
/// the node, runs the pods bound to it through the process and OCI runtimes, and proxies services with nftables.
/// </summary>
public sealed class NodeAgent : IAsyncDisposable
{
    private readonly AgentLock _lock;
    private readonly Kubernetes _client;
    private readonly AgentServer _server;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    private NodeAgent(AgentLock agentLock, Kubernetes client, AgentServer server)
    {
        _lock = agentLock;
        _client = client;
        _server = server;
    }

    /// <summary>Faults if the agent stops working.</summary>
    public Task Completion => _running;

    public static async Task<NodeAgent> StartAsync(AgentOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var agentLock = AgentLock.Acquire(options.StateDirectory);
        var time = TimeProvider.System;
        try
        {
            VolatileState.Mount(options.StateDirectory, loggerFactory.CreateLogger<NodeAgent>());
            await SweepStaleSandboxesAsync(Path.GetFullPath(options.StateDirectory), loggerFactory.CreateLogger<StaleSandboxSweep>(), cancellationToken)
                .ConfigureAwait(false);
            var client = ApiClientFactory.Create(options);
            var state = options.StateDirectory;
            var hierarchies = CgroupHierarchies.Detect();
            FavorDynamicCgroupChanges(hierarchies, loggerFactory.CreateLogger<NodeAgent>());
            var sandboxes = new PodSandboxes(new CgroupManager(hierarchies, time: time));
            var images = new ImageStore(ImageStore.PathIn(state), time);
            await images.EnsureBusyboxAsync(cancellationToken).ConfigureAwait(false);
            var runtimes = NodeRuntimes.Create(state, sandboxes, images, loggerFactory, time);
            var podCidr = await NodePodCidr.WaitAsync(client, options.NodeName, options.PodCidrWait, loggerFactory.CreateLogger<NodeAgent>(), time, cancellationToken)
                .ConfigureAwait(false);
            var clusterNetwork = await ClusterNetwork.ReadAsync(client, cancellationToken).ConfigureAwait(false);
            var clusterCidr = clusterNetwork.ClusterCidr ?? podCidr;
            var network = new PodNetwork(new PodNetworkOptions { StateDirectory = Path.Combine(state, AgentLayout.Network), PodCidr = podCidr, ClusterCidr = clusterCidr });
            await network.EnsurePluginsAsync(cancellationToken).ConfigureAwait(false);
            await network.EnsureMasqueradeAsync(cancellationToken).ConfigureAwait(false);
            var hostIp = (options.NodeIp ?? NodeFacts.InternalAddress())?.ToString();
            var proxyOptions = new ProxyOptions { NodeName = options.NodeName, ClusterCidr = clusterCidr };
            if (clusterNetwork.ServiceCidr is { } serviceCidr)
            {
                proxyOptions = proxyOptions with { ServiceCidrs = [serviceCidr] };
            }

            var proxy = new ServiceProxy(client, proxyOptions, new NftablesApplier(proxyOptions), loggerFactory.CreateLogger<ServiceProxy>(), time);
            var networkPolicies = new NetworkPolicyEnforcer(
                client, options.NodeName, network, NodeAddresses(podCidr, hostIp), () => proxy.KnownServicesAndSlices,
                loggerFactory.CreateLogger<NetworkPolicyEnforcer>(), time);
            var pods = new PodSyncLoop(client, options.NodeName, runtimes, network, sandboxes,
                Specs(client, Path.Combine(state, AgentLayout.Volumes), () => proxy.KnownServices), hostIp, loggerFactory, time);
            var usage = new ResourceUsageSampler(
                options.NodeName, new UsageReader(hierarchies), sandboxes.Cgroups, pods.RunningContainers, time, loggerFactory.CreateLogger<ResourceUsageSampler>());
            var server = await AgentServer.StartAsync(IPAddress.Any, options.Port, options.CaPem, pods, usage, loggerFactory, cancellationToken)
                .ConfigureAwait(false);
            var heartbeat = new NodeHeartbeat(client, options, new AgentEndpoint(server.Port, server.CertificateSha256),
                loggerFactory.CreateLogger<NodeHeartbeat>(), time);
            await heartbeat.RegisterAsync(cancellationToken).ConfigureAwait(false);
            var routes = new NodeRouteSync(client, options.NodeName, clusterCidr, new NodeRoutes(network.Options.CommandTimeout),
                loggerFactory.CreateLogger<NodeRouteSync>(), time);
            var agent = new NodeAgent(agentLock, client, server);
            agent._running = Task.WhenAll(
                heartbeat.RunAsync(agent._stopping.Token), pods.RunAsync(agent._stopping.Token), proxy.RunAsync(agent._stopping.Token),
                network.RunPoolAsync(agent._stopping.Token), routes.RunAsync(agent._stopping.Token), usage.RunAsync(agent._stopping.Token),
                networkPolicies.RunAsync(agent._stopping.Token));
            return agent;
        }
        catch
        {
            agentLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The node as its pods see it, which NetworkPolicies never cut them off from: the bridge (the pod CIDR's first
    /// address, the pods' gateway, where probes come from) and the node's own address.
    /// </summary>
    private static List<IPAddress> NodeAddresses(IPNetwork podCidr, string? hostIp)
    {
        var bytes = podCidr.BaseAddress.GetAddressBytes();
        bytes[^1]++;
        var addresses = new List<IPAddress> { new(bytes) };
        // The firewalls filter IPv4 alone, as pods have IPv4 addresses alone.
        if (IPAddress.TryParse(hostIp, out var host) && host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            addresses.Add(host);
        }

        return addresses;
    }

    /// <summary>How the node's containers are made: their environment (with the services <paramref name="services"/> knows) and volumes.</summary>
    private static ContainerSpecs Specs(IKubernetes client, string volumeRoot, Func<IEnumerable<V1Service>?> services)
    {
        var sources = new PodConfigSources(client);

        // The node reports its capacity as allocatable (see NodeHeartbeat), read from the machine and the state
        // directory's disk, which holds the volumes; the node's name plays no part in it.
        var allocatable = NodeFacts.Read(nodeName: "", Path.GetDirectoryName(Path.GetFullPath(volumeRoot))!).Capacity;
        return new ContainerSpecs(
            new PodEnvironment(sources, allocatable, services), new PodVolumes(sources, new ServiceAccountTokenSource(client, TimeProvider.System), volumeRoot));
    }

    /// <summary>
    /// Before any pod, the agent vouches for its own sandboxes (the registry) and removes the leftovers of deleted
    /// clusters on this host, which would fill the node bridge in time. Neither ever stops the agent.
    /// </summary>
    private static async Task SweepStaleSandboxesAsync(string stateDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            AgentRegistry.Host.Add(stateDirectory);
            await new StaleSandboxSweep(AgentRegistry.Host, logger).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Sweeping stale pod network namespaces failed");
        }
    }

    /// <summary>
    /// Container starts stop waiting for an RCU grace period each (see <see cref="CgroupDynamicModifications"/>). A kernel
    /// without the option, or a cgroup namespace that may not change it, only costs pods that wait.
    /// </summary>
    private static void FavorDynamicCgroupChanges(CgroupHierarchies hierarchies, ILogger logger)
    {
        try
        {
            if (CgroupDynamicModifications.Favor(hierarchies) is { } mount)
            {
                logger.LogInformation(
                    "cgroup2 at {Mount} now has {Option}: moving a workload into its cgroups no longer waits for an RCU grace period",
                    mount, CgroupDynamicModifications.Option);
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or EntryPointNotFoundException)
        {
            logger.LogInformation("cgroup2 keeps its options ({Reason}): each container start waits for an RCU grace period", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _server.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
        _stopping.Dispose();
        _lock.Dispose();
    }
}
