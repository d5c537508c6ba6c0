using System.Net;
using Gantry.Agent.Network;
using Gantry.Agent.Watching;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Policy;

/// <summary>
/// The node's NetworkPolicy enforcement, as a policy-capable CNI (k3s's kube-router controller, Calico) gives it:
/// watches every NetworkPolicy, pod and namespace, and keeps a firewall in the network namespace of each of this node's
/// pods equal to what the policies that select it allow (<see cref="FirewallPlanner"/>, <see cref="FirewallScript"/>).
/// A change is written after a short debounce; services and endpoints (read from the service proxy) are looked at
/// again every resync period. A pod's firewall is written once its sandbox has an address, so policies are in force
/// shortly after a pod starts, not before its first instruction.
/// </summary>
public sealed partial class NetworkPolicyEnforcer(
    IKubernetes client,
    string nodeName,
    PodNetwork network,
    IReadOnlyList<IPAddress> nodeAddresses,
    Func<(IReadOnlyList<V1Service> Services, IReadOnlyList<V1EndpointSlice> Slices)?> services,
    ILogger<NetworkPolicyEnforcer> logger,
    TimeProvider time)
{
    private const string Watcher = "the network policy enforcer";
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ResyncPeriod = TimeSpan.FromSeconds(2);

    private readonly PolicySources _sources = new();

    /// <summary>The script last in force in each pod's namespace, by pod uid.</summary>
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether a pod's namespace may hold a firewall this agent did not write: the pods already there at its first
    /// sync (an agent restart re-adopts them) are written even when open; a sandbox made later starts with none.
    /// </summary>
    private bool _synced;

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        ListWatch.RunAsync(
            "networkpolicies.networking.k8s.io",
            Watcher,
            async ct =>
            {
                var list = await client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (version, ct) => client.NetworkingV1.WatchListNetworkPolicyForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, cancellationToken: ct),
            _sources.Replace,
            _sources.Apply,
            logger,
            time,
            cancellationToken),
        ListWatch.RunAsync(
            "pods",
            Watcher,
            async ct =>
            {
                var list = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (version, ct) => client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, cancellationToken: ct),
            _sources.Replace,
            _sources.Apply,
            logger,
            time,
            cancellationToken),
        ListWatch.RunAsync(
            "namespaces",
            Watcher,
            async ct =>
            {
                var list = await client.CoreV1.ListNamespaceAsync(cancellationToken: ct).ConfigureAwait(false);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (version, ct) => client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: version, cancellationToken: ct),
            _sources.Replace,
            _sources.Apply,
            logger,
            time,
            cancellationToken),
        SyncLoopAsync(cancellationToken));

    private async Task SyncLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await WaitForChangeAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(Debounce, time, cancellationToken).ConfigureAwait(false);
                if (_sources.Snapshot() is not var (policies, pods, namespaces))
                {
                    continue;
                }

                var known = services() ?? ([], []);
                var view = new PolicyView(policies, pods, namespaces, known.Services, known.Slices);
                await SyncAsync(view, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the firewall of each of this node's pods whose script changed; forgets the pods that are gone.</summary>
    private async Task SyncAsync(PolicyView view, CancellationToken cancellationToken)
    {
        var local = view.Pods.Where(p => p.Spec?.NodeName == nodeName && p.Spec.HostNetwork != true && p.Metadata.Uid is not null).ToList();
        foreach (var gone in _written.Keys.Except(local.Select(p => p.Metadata.Uid)).ToList())
        {
            _written.Remove(gone);
        }

        foreach (var pod in local)
        {
            var uid = pod.Metadata.Uid;
            var script = FirewallScript.Render(FirewallPlanner.For(pod, view, nodeAddresses), nodeAddresses);
            if (_written.TryGetValue(uid, out var inForce) ? inForce == script : _synced && script == OpenScript)
            {
                continue;
            }

            if (await network.SandboxNamespaceAsync(uid, cancellationToken).ConfigureAwait(false) is not { } ns)
            {
                continue;
            }

            var command = new CommandLine("ip", "netns", "exec", ns, "nft", "-f", "-");
            var output = await HostCommand.RunAsync(command, network.Options.CommandTimeout, cancellationToken, stdin: script).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                _written.Remove(uid);
                LogWriteFailed(pod.Metadata.NamespaceProperty, pod.Metadata.Name, output.Stderr.Trim());
                continue;
            }

            _written[uid] = script;
            LogWritten(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        }

        _synced = true;
    }

    private string OpenScript => FirewallScript.Render(PodFirewall.Open, nodeAddresses);

    /// <summary>Returns when the sources change or the resync period passes, whichever comes first.</summary>
    private async Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changed = _sources.Changes.WaitToReadAsync(either.Token).AsTask();
        var elapsed = Task.Delay(ResyncPeriod, time, either.Token);
        await Task.WhenAny(changed, elapsed).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Network policy firewall of pod {Namespace}/{Pod} written")]
    private partial void LogWritten(string @namespace, string pod);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the network policy firewall of pod {Namespace}/{Pod} failed: {Error}")]
    private partial void LogWriteFailed(string @namespace, string pod, string error);
}
