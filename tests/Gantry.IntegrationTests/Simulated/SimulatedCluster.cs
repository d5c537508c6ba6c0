using System.Net;
using System.Net.Sockets;
using Gantry.Agent;
using Gantry.Agent.Simulated;
using Gantry.Server;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.IntegrationTests.Simulated;

/// <summary>
/// An in-process cluster for tests: the real server (store, scheduler, controllers) on a temporary
/// data directory and a free port, with fleets of simulated nodes talking to it over HTTPS through
/// the official client, as real agents do. Nothing runs on the nodes, so no root is needed.
/// </summary>
internal sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly GantryServer _server;
    private readonly HttpClient _http;
    private readonly List<SimulatedNodeFleet> _fleets = [];

    private SimulatedCluster(string dataDirectory, GantryServer server, Kubernetes client, HttpClient http)
    {
        _dataDirectory = dataDirectory;
        _server = server;
        Client = client;
        _http = http;
    }

    public Kubernetes Client { get; }

    public static async Task<SimulatedCluster> StartAsync(CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("gantry-simulated-").FullName;
        var options = new ServerOptions(dataDirectory, FreePort());
        var server = await GantryServer.StartAsync(options, NullLoggerFactory.Instance, cancellationToken);
        var agent = new AgentOptions(new Uri(options.Url), server.Credentials.AdminToken, server.Credentials.CaPem, "simulated", dataDirectory);
        return new SimulatedCluster(dataDirectory, server, ApiClientFactory.Create(agent), ApiClientFactory.CreateHttp(agent));
    }

    /// <summary>Starts a fleet of simulated nodes and waits until its nodes are registered and its pod watch is in sync.</summary>
    public async Task<SimulatedNodeFleet> AddNodesAsync(SimulatedFleetOptions options, CancellationToken cancellationToken)
    {
        var fleet = new SimulatedNodeFleet(Client, _http, options, NullLoggerFactory.Instance, TimeProvider.System);
        _fleets.Add(fleet);
        await fleet.StartAsync(cancellationToken);
        await fleet.Synced.WaitAsync(cancellationToken);
        return fleet;
    }

    /// <summary>
    /// Follows the namespace's pods (LIST, then WATCH) until <paramref name="done"/> holds for them,
    /// and returns them; the test's own deadline is the only timeout.
    /// </summary>
    public async Task<IReadOnlyList<V1Pod>> WaitForPodsAsync(string ns, Func<IReadOnlyList<V1Pod>, bool> done, CancellationToken cancellationToken)
    {
        var list = await Client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: cancellationToken);
        var pods = list.Items.ToDictionary(p => p.Uid(), StringComparer.Ordinal);
        if (done([.. pods.Values]))
        {
            return [.. pods.Values];
        }

        var resourceVersion = list.Metadata.ResourceVersion;
        while (true)
        {
            var events = Client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: resourceVersion, allowWatchBookmarks: true, cancellationToken: cancellationToken);
            await foreach (var (type, pod) in events)
            {
                resourceVersion = pod.Metadata.ResourceVersion ?? resourceVersion;
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified:
                        pods[pod.Uid()] = pod;
                        break;
                    case WatchEventType.Deleted:
                        pods.Remove(pod.Uid());
                        break;
                    default:
                        continue;
                }

                if (done([.. pods.Values]))
                {
                    return [.. pods.Values];
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var fleet in _fleets)
        {
            await fleet.DisposeAsync();
        }

        Client.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
