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
/// again every resync period. A pod's firewall is written once the pod's status shows its address, so policies are in
/// force shortly after a pod starts, not before its first instruction. The firewall lives in the pod's own namespace,
/// so a pod with <c>CAP_NET_ADMIN</c> there can remove it.
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

    /// <summary>
    /// What is in force in each pod's sandbox, by pod uid: the sandbox's namespace and the script last written there;
    /// a null script where a write failed and nothing is known of the table.
    /// </summary>
    private readonly Dictionary<string, (string Namespace, string? Script)> _written = new(StringComparer.Ordinal);

    private readonly string _openScript = FirewallScript.Render(PodFirewall.Open, nodeAddresses);

    /// <summary>
    /// Whether the first sync is done: until then a pod's namespace may hold a firewall an agent before this one wrote
    /// (a restart re-adopts the pods), so open firewalls are written too; a sandbox made later starts with none.
    /// </summary>
    private bool _synced;

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        WatchAsync(
            "networkpolicies.networking.k8s.io",
            async ct => await client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false),
            (version, ct) => client.NetworkingV1.WatchListNetworkPolicyForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, cancellationToken: ct),
            _sources.Replace,
            _sources.Apply,
            cancellationToken),
        WatchAsync(
            "pods",
            async ct => await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false),
            (version, ct) => client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, cancellationToken: ct),
            _sources.Replace,
            _sources.Apply,
            cancellationToken),
        WatchAsync(
            "namespaces",
            async ct => await client.CoreV1.ListNamespaceAsync(cancellationToken: ct).ConfigureAwait(false),
            (version, ct) => client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: version, cancellationToken: ct),
            _sources.Replace,
            _sources.Apply,
            cancellationToken),
        SyncLoopAsync(cancellationToken));

    /// <summary>Lists and watches one kind for the enforcer (see <see cref="ListWatch"/>).</summary>
    private Task WatchAsync<TList, T>(
        string resource,
        Func<CancellationToken, Task<TList>> list,
        Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Action<IList<T>> replace,
        Action<WatchEventType, T> apply,
        CancellationToken cancellationToken)
        where TList : IKubernetesObject<V1ListMeta>, IItems<T> =>
        ListWatch.RunAsync(
            resource,
            Watcher,
            async ct =>
            {
                var listed = await list(ct).ConfigureAwait(false);
                return (listed.Items, listed.Metadata.ResourceVersion);
            },
            watch,
            replace,
            apply,
            logger,
            time,
            cancellationToken);

    private async Task SyncLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await WaitForChangeAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(Debounce, time, cancellationToken).ConfigureAwait(false);
                // Firewalls wait for the service proxy's lists too, or a restart would cut egress-isolated pods off
                // their ClusterIPs (the cluster DNS among them) until the next resync.
                if (_sources.Snapshot() is not var (policies, pods, namespaces) || services() is not var (known, slices))
                {
                    continue;
                }

                // Without policies nothing changes once every firewall this agent knows of is open.
                if (policies.Count == 0 && _synced && _written.Values.All(w => w.Script == _openScript))
                {
                    continue;
                }

                await SyncAsync(new PolicyView(policies, pods, namespaces, known, slices), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the firewall of each of this node's pods whose script or sandbox changed; forgets the pods that are gone.</summary>
    private async Task SyncAsync(PolicyView view, CancellationToken cancellationToken)
    {
        var local = view.Pods.Where(p => p.Spec?.NodeName == nodeName && p.Spec.HostNetwork != true && p.Metadata.Uid is not null).ToList();
        foreach (var gone in _written.Keys.Except(local.Select(p => p.Metadata.Uid)).ToList())
        {
            _written.Remove(gone);
        }

        foreach (var pod in local)
        {
            try
            {
                await SyncAsync(pod, view, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NetworkCommandException or IOException or ArgumentException or InvalidOperationException)
            {
                if (_written.TryGetValue(pod.Metadata.Uid, out var inForce))
                {
                    _written[pod.Metadata.Uid] = (inForce.Namespace, null);
                }

                LogWriteFailed(pod.Metadata.NamespaceProperty, pod.Metadata.Name, ex.Message);
            }
        }

        _synced = true;
    }

    private async Task SyncAsync(V1Pod pod, PolicyView view, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata.Uid;
        var script = FirewallScript.Render(FirewallPlanner.For(pod, view, nodeAddresses), nodeAddresses);
        if (await network.SandboxNamespaceAsync(uid, cancellationToken).ConfigureAwait(false) is not { } ns)
        {
            return;
        }

        // A sandbox made again (an agent restart found the old one broken) starts without a firewall.
        var upToDate = _written.TryGetValue(uid, out var inForce)
            ? inForce.Namespace == ns && inForce.Script == script
            : _synced && script == _openScript;
        if (upToDate)
        {
            return;
        }

        var command = new CommandLine("ip", "netns", "exec", ns, "nft", "-f", "-");
        var output = await HostCommand.RunAsync(command, network.Options.CommandTimeout, cancellationToken, stdin: script).ConfigureAwait(false);
        if (output.ExitCode != 0)
        {
            _written[uid] = (ns, null);
            throw HostCommand.Failure(command, output);
        }

        _written[uid] = (ns, script);
        LogWritten(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
    }

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
