using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Gantry.Agent.Node;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Simulated;

/// <summary>
/// Many simulated ("hollow") nodes in one process, for scale tests only: each registers a Node and
/// renews its Lease like a real agent, and reports the pods bound to it Running (with a pod IP from
/// its own range) without running anything; a pod being deleted is deleted for good at once (grace
/// 0), as the real agent does once its containers have stopped. Nodes share the work so that
/// thousands fit in one process: one pod watch for the whole fleet, lease renewals spread evenly
/// over the renewal interval, and pod status and deletions sent by a bounded set of workers. A
/// node can be crashed (it falls silent: no lease, no status, no deletions) and resumed. Lease renewals and pod
/// status reports, the fleet's bulk of writes, go over a bare HTTP client and leave the object written undecoded; the
/// pod watch goes over it too, and decodes a pod only when it can need work.
/// </summary>
public sealed partial class SimulatedNodeFleet : IAsyncDisposable
{
    private static readonly TimeSpan LeaseTick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The pods any node could own: a kubelet watches <c>spec.nodeName=NAME</c>, and the fleet the union of its nodes'
    /// selections, so a pod is first seen when it is bound, not when it is created.
    /// </summary>
    private const string BoundPods = "spec.nodeName!=";

    private const string MergePatch = "application/merge-patch+json";

    private readonly IKubernetes _client;
    private readonly HttpClient _http;
    private readonly SimulatedFleetOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SimulatedNode[] _nodes;
    private readonly Dictionary<string, SimulatedNode> _byName;
    private readonly ConcurrentDictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);
    private readonly Channel<string> _work = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private long _statusReports;
    private long _deletions;
    private long _leaseRenewals;
    private long _failures;

    /// <param name="client">The typed client, for everything but the bulk writes.</param>
    /// <param name="http">A bare client of the same server and credentials (<see cref="ApiClientFactory.CreateHttp"/>), for the bulk writes.</param>
    public SimulatedNodeFleet(IKubernetes client, HttpClient http, SimulatedFleetOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.NodeCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.FirstIndex + options.NodeCount, SimulatedFleetOptions.MaxNodes);
        _client = client;
        _http = http;
        _options = options;
        _logger = loggerFactory.CreateLogger<SimulatedNodeFleet>();
        _time = time;
        _nodes = [.. Enumerable.Range(options.FirstIndex, options.NodeCount).Select(i => new SimulatedNode(options.NodeName(i), i))];
        _byName = _nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    /// <summary>Pod status patches sent (each pod is reported Running once).</summary>
    public long StatusReports => Interlocked.Read(ref _statusReports);

    /// <summary>Pods deleted for good after the server marked them for deletion.</summary>
    public long Deletions => Interlocked.Read(ref _deletions);

    public long LeaseRenewals => Interlocked.Read(ref _leaseRenewals);

    /// <summary>Requests that failed and were retried.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Completes once the fleet's pod watch has listed the pods already bound to its nodes.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Registers every node (Node and Lease) and starts heartbeating and watching pods.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(_nodes, parallel, RegisterAsync).ConfigureAwait(false);
        var start = _time.GetUtcNow();
        foreach (var node in _nodes)
        {
            // Spread evenly over one interval, so renewals arrive at a steady rate instead of in a burst.
            var slot = (double)(node.Index - _options.FirstIndex) / _nodes.Length;
            node.NextRenewal = start + (_options.LeaseRenewInterval * slot);
            node.NextStatusReport = start + _options.NodeStatusReportInterval + (_options.NodeStatusReportInterval * slot);
        }

        Log.Registered(_logger, _nodes.Length);
        var stopping = _stop.Token;
        _loops.Add(Task.Run(() => HeartbeatAsync(stopping), CancellationToken.None));
        _loops.Add(Task.Run(() => WatchPodsAsync(stopping), CancellationToken.None));
        for (var i = 0; i < _options.Parallelism; i++)
        {
            _loops.Add(Task.Run(() => WorkAsync(stopping), CancellationToken.None));
        }
    }

    /// <summary>Simulates the node's machine dying: it stops renewing its lease and handling its pods.</summary>
    public void Crash(string nodeName) => Node(nodeName).SetUp(false);

    /// <summary>The node comes back: it renews its lease and posts Ready at once, then reports its pods again.</summary>
    public void Resume(string nodeName)
    {
        var node = Node(nodeName);
        node.SetUp(true);
        var now = _time.GetUtcNow();
        node.NextRenewal = now;
        node.NextStatusReport = now;
        foreach (var pod in _pods.Values.Where(p => p.Spec.NodeName == nodeName))
        {
            _reported.TryRemove(pod.Uid(), out _);
            Enqueue(pod.Uid());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _work.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private SimulatedNode Node(string name) =>
        _byName.TryGetValue(name, out var node) ? node : throw new ArgumentException($"no simulated node {name} in this fleet", nameof(name));

    private async ValueTask RegisterAsync(SimulatedNode node, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        try
        {
            await _client.CoreV1.CreateNodeAsync(SimulatedNodeObjects.Node(node, _options, now), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await PostNodeStatusAsync(node, cancellationToken).ConfigureAwait(false);
        }

        await RenewLeaseAsync(node, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every tick, renews the leases (and, rarely, the node status) that are due, a bounded number at a time.</summary>
    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(LeaseTick, _time);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken };
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = _time.GetUtcNow();
                var due = _nodes.Where(n => n.IsUp && n.NextRenewal <= now).ToList();
                await Parallel.ForEachAsync(due, parallel, async (node, ct) =>
                {
                    try
                    {
                        await RenewLeaseAsync(node, ct).ConfigureAwait(false);
                        node.NextRenewal = Later(node.NextRenewal + _options.LeaseRenewInterval, now);
                        if (node.NextStatusReport <= now)
                        {
                            await PostNodeStatusAsync(node, ct).ConfigureAwait(false);
                            node.NextStatusReport = Later(node.NextStatusReport + _options.NodeStatusReportInterval, now);
                        }
                    }
                    catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
                    {
                        Interlocked.Increment(ref _failures);
                        Log.HeartbeatFailed(_logger, node.Name, ex.Message);
                        node.NextRenewal = now + RetryDelay;
                    }
                }).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The next due time, but never one already past: a fleet that fell behind does not renew in a burst to catch up.</summary>
    private static DateTimeOffset Later(DateTimeOffset next, DateTimeOffset now) => next > now ? next : now + LeaseTick;

    /// <summary>A merge patch of the lease's spec: one request, no read, no conflict; creates the lease when it is missing.</summary>
    private async Task RenewLeaseAsync(SimulatedNode node, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var patch = KubernetesJson.Serialize(new { spec = SimulatedNodeObjects.LeaseSpec(node, now) });
        var path = $"apis/coordination.k8s.io/v1/namespaces/{NodeHeartbeat.LeaseNamespace}/leases/{node.Name}";
        if (!await MergePatchAsync(path, patch, cancellationToken).ConfigureAwait(false))
        {
            await _client.CoordinationV1.CreateNamespacedLeaseAsync(SimulatedNodeObjects.Lease(node, now), NodeHeartbeat.LeaseNamespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }

        Interlocked.Increment(ref _leaseRenewals);
    }

    /// <summary>
    /// Sends a merge patch and reads only the answer's status: a hollow node has no use for the object written, and
    /// decoding it took a tenth of the scheduling bench's own CPU.
    /// </summary>
    /// <returns>Whether the object was there to patch.</returns>
    /// <exception cref="HttpRequestException">The server refused the patch for another reason.</exception>
    private async Task<bool> MergePatchAsync(string path, string patch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(patch, Encoding.UTF8, MergePatch),
        };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        // Read to its end, so that the stream is finished rather than reset.
        await response.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"PATCH {path}: {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        return true;
    }

    private async Task PostNodeStatusAsync(SimulatedNode node, CancellationToken cancellationToken)
    {
        var status = SimulatedNodeObjects.Status(node, _options, _time.GetUtcNow().UtcDateTime);
        var patch = KubernetesJson.Serialize(new { status });
        await _client.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), node.Name, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>One LIST and WATCH of all pods for the whole fleet; pods bound to its nodes are handed to the workers.</summary>
    private async Task WatchPodsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: BoundPods, cancellationToken: cancellationToken).ConfigureAwait(false);
                var listed = list.Items.Select(p => p.Uid()).ToHashSet(StringComparer.Ordinal);
                foreach (var gone in _pods.Keys.Where(uid => !listed.Contains(uid)).ToList())
                {
                    Forget(gone);
                }

                foreach (var pod in list.Items)
                {
                    Observe(pod);
                }

                _synced.TrySetResult();
                var resourceVersion = list.Metadata.ResourceVersion;
                // A watch the server ends in good order is resumed where it stopped; only a failure costs a LIST.
                while (!cancellationToken.IsCancellationRequested)
                {
                    resourceVersion = await FollowPodsAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref _failures);
                Log.WatchFailed(_logger, ex.Message);
                await Task.Delay(RetryDelay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Watches the bound pods from <paramref name="resourceVersion"/> until the server ends the watch, and returns the last
    /// version seen. The events are read raw, and a pod is decoded only when it can need work: the fleet's own status
    /// report comes back as an event for every pod it reported, and decoding those echoes was a tenth of the scheduling
    /// bench's CPU. A reported pod that changes without being deleted or moved keeps the version the fleet decoded.
    /// </summary>
    /// <exception cref="HttpRequestException">The server refused the watch, or ended it with an error (its resource version expired).</exception>
    private async Task<string> FollowPodsAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var path = $"api/v1/pods?watch=true&allowWatchBookmarks=true&fieldSelector={Uri.EscapeDataString(BoundPods)}&resourceVersion={resourceVersion}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await new WatchLineReader(stream).ReadAsync(line => resourceVersion = OnPodEvent(line) ?? resourceVersion, cancellationToken).ConfigureAwait(false);
        return resourceVersion;
    }

    /// <returns>The event's resource version.</returns>
    private string? OnPodEvent(ReadOnlySpan<byte> line)
    {
        var watched = PodWatchEvent.Parse(line);
        switch (watched.Type)
        {
            case "ADDED" or "MODIFIED" when OnFleetNode(watched) && !IsEcho(watched):
                Observe(KubernetesJson.Deserialize<V1Pod>(Encoding.UTF8.GetString(line[watched.Object])));
                break;
            case "DELETED" when watched.Uid is { } uid:
                Forget(uid);
                break;
            case "ERROR":
                throw new HttpRequestException($"the pod watch ended with an error: {Encoding.UTF8.GetString(line)}");
        }

        return watched.ResourceVersion;
    }

    /// <summary>Whether the pod is bound to one of the fleet's nodes: a pending pod, or another node's, is none of its business.</summary>
    private bool OnFleetNode(PodWatchEvent watched) => watched.NodeName is { Length: > 0 } nodeName && _byName.ContainsKey(nodeName);

    /// <summary>A change to a pod the fleet has reported, on the same node, not a deletion: nothing for a node to do.</summary>
    private bool IsEcho(PodWatchEvent watched) =>
        watched is { Type: "MODIFIED", Deleting: false, Uid: { } uid }
        && _reported.ContainsKey(uid)
        && _pods.TryGetValue(uid, out var known)
        && known.Spec.NodeName == watched.NodeName;

    private void Observe(V1Pod pod)
    {
        if (pod.Spec.NodeName is not { Length: > 0 } nodeName || !_byName.TryGetValue(nodeName, out var node))
        {
            return;
        }

        var uid = pod.Uid();
        _pods[uid] = pod;
        if (node.IsUp && (pod.Metadata.DeletionTimestamp is not null || !_reported.ContainsKey(uid)))
        {
            Enqueue(uid);
        }
    }

    private void Forget(string uid)
    {
        if (_pods.TryRemove(uid, out var known) && _byName.TryGetValue(known.Spec.NodeName, out var node))
        {
            node.ReleasePodIp(uid);
        }

        _reported.TryRemove(uid, out _);
    }

    private void Enqueue(string uid)
    {
        if (_queued.TryAdd(uid, 0))
        {
            _work.Writer.TryWrite(uid);
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var uid in _work.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                _queued.TryRemove(uid, out _);
                if (!_pods.TryGetValue(uid, out var pod) || !_byName[pod.Spec.NodeName].IsUp)
                {
                    continue;
                }

                try
                {
                    await SyncAsync(pod, _byName[pod.Spec.NodeName], cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
                {
                    Interlocked.Increment(ref _failures);
                    Log.PodSyncFailed(_logger, pod.Namespace(), pod.Name(), ex.Message);
                    _reported.TryRemove(uid, out _);
                    _ = RetryLaterAsync(uid, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RetryLaterAsync(string uid, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(RetryDelay, _time, cancellationToken).ConfigureAwait(false);
            Enqueue(uid);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A pod marked for deletion is deleted for good; any other is reported Running, once.</summary>
    private async Task SyncAsync(V1Pod pod, SimulatedNode node, CancellationToken cancellationToken)
    {
        var uid = pod.Uid();
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            try
            {
                var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = uid } };
                await _client.CoreV1.DeleteNamespacedPodAsync(pod.Name(), pod.Namespace(), options, cancellationToken: cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _deletions);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
            {
            }

            return;
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed" || !_reported.TryAdd(uid, 0))
        {
            return;
        }

        if (pod.Status?.Phase == "Running" && pod.Status.HostIP == node.HostIp)
        {
            return;
        }

        var status = SimulatedPodStatus.Running(pod, node.PodIp(uid), node.HostIp, _time.GetUtcNow().UtcDateTime);
        var patch = KubernetesJson.Serialize(new { status });
        if (await MergePatchAsync($"api/v1/namespaces/{pod.Namespace()}/pods/{pod.Name()}/status", patch, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _statusReports);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Count} simulated nodes")]
        public static partial void Registered(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Heartbeat of simulated node {Node} failed: {Reason}")]
        public static partial void HeartbeatFailed(ILogger logger, string node, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The simulated nodes' pod watch failed: {Reason}; re-listing")]
        public static partial void WatchFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Simulated status of pod {Namespace}/{Pod} failed: {Reason}")]
        public static partial void PodSyncFailed(ILogger logger, string @namespace, string pod, string reason);
    }
}
