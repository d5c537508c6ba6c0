using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Gantry.Agent.Network;

/// <summary>
/// A few sandboxes made ahead of any pod (namespace, <c>lo</c>, <c>eth0</c> with an address), so that a pod start
/// takes one instead of waiting tens of milliseconds for the namespace and the bridge plugin. Each is made under a
/// sandbox id of its own, which is its CNI container id for life (containerd does the same: CNI's container id
/// is the sandbox's, not the pod's); a pod that takes one gets a record naming that id, so DEL, CHECK and
/// adoption after an agent restart work as for a sandbox made for the pod.
/// </summary>
/// <remarks>
/// On disk, under the pool directory: <c>ID.pending</c> before anything is made, <c>ID.json</c> (the CNI result)
/// once it is ready. A sandbox the pool holds when the agent stops, or that was half made when it crashed, is
/// undone by <see cref="RecoverAsync"/> at the next start, so none is ever leaked; one a pod took is left alone.
/// </remarks>
internal sealed class SandboxPool(PodNetworkOptions options, SandboxMaker maker, SandboxRecords podRecords, TimeProvider time)
{
    private const string Pending = ".pending";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sandboxes made at once while refilling. Making one is mostly waiting for four programs to start and exit, so two
    /// at once refill about twice as fast on two cores; one at a time, a burst of pods starting faster than one per
    /// sandbox's making (≈ 30–50 ms here) emptied the pool and left them making their own.
    /// </summary>
    private const int ConcurrentMakes = 2;

    /// <summary>
    /// How long after a take the pool waits for the node to be quiet before making the next sandbox, unless the take came
    /// within as long of the one before: a burst of pods, which the pool must keep up with at once. Making one runs the
    /// bridge and host-local plugins, about 10 ms of CPU in two Go programs; started at once, they ran on the two cores
    /// beside the pod that had just taken a sandbox, whose own start (shim, status patch) takes about 15 ms, and set the
    /// tail of the pods' start latency.
    /// </summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(50);

    private readonly SandboxRecords _records = new(options.PoolDirectory);
    private readonly ConcurrentQueue<(string Id, SandboxRecord Record)> _ready = new();
    // Wakes the refill loop after a take; one pending wake-up is enough, as the loop refills to the full size.
    private readonly Channel<bool> _taken = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _lastTake;
    private long _takeGapTicks = long.MaxValue;

    /// <summary>How many sandboxes wait to be taken.</summary>
    public int Count => _ready.Count;

    /// <summary>
    /// Hands a ready sandbox to the pod: its record is written under the pod's uid first, then the pool forgets it,
    /// so a crash in between leaves a pool file that <see cref="RecoverAsync"/> sees is claimed.
    /// </summary>
    /// <returns>The pod's record, or null when the pool is empty (the caller makes a sandbox itself).</returns>
    public async Task<SandboxRecord?> TakeAsync(string podUid, string podName, string podNamespace, SandboxRecords pods, CancellationToken cancellationToken)
    {
        if (!_ready.TryDequeue(out var entry))
        {
            return null;
        }

        var record = entry.Record with { PodUid = podUid, PodName = podName, PodNamespace = podNamespace };
        try
        {
            await pods.WriteAsync(podUid, record, cancellationToken);
        }
        catch
        {
            _ready.Enqueue(entry);
            throw;
        }

        _records.Delete(entry.Id);
        var now = time.GetTimestamp();
        var previous = Interlocked.Exchange(ref _lastTake, now);
        Interlocked.Exchange(ref _takeGapTicks, previous == 0 ? long.MaxValue : time.GetElapsedTime(previous, now).Ticks);
        _taken.Writer.TryWrite(true);
        return record;
    }

    /// <summary>Makes sandboxes until <see cref="PodNetworkOptions.PoolSize"/> wait; returns when the pool is full.</summary>
    /// <exception cref="NetworkCommandException">Making one failed (what was made of it is undone).</exception>
    public async Task FillAsync(CancellationToken cancellationToken)
    {
        while (_ready.Count < options.PoolSize)
        {
            var missing = Math.Min(options.PoolSize - _ready.Count, ConcurrentMakes);
            await Task.WhenAll(Enumerable.Range(0, missing).Select(_ => MakeOneAsync(cancellationToken)));
        }
    }

    /// <summary>
    /// Undoes what an earlier agent left in the pool (<see cref="RecoverAsync"/>), then keeps the pool full until
    /// cancelled, and undoes the sandboxes still in it then.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var recovered = false;
            while (true)
            {
                try
                {
                    if (!recovered)
                    {
                        await RecoverAsync(cancellationToken);
                        recovered = true;
                    }

                    await FillAsync(cancellationToken);
                    await _taken.Reader.ReadAsync(cancellationToken);
                    await WaitForQuietAsync(cancellationToken);
                }
                catch (NetworkCommandException)
                {
                    // Pods still start without the pool (they make their own sandbox and see the same error, with
                    // their name on it), so a plugin that fails here is retried later instead of stopping the agent.
                    await Task.Delay(RetryDelay, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(CancellationToken.None);
            }
            catch (NetworkCommandException)
            {
                // What could not be undone keeps its file in the pool directory; the next agent start undoes it.
            }
        }
    }

    /// <summary>
    /// Undoes every pool sandbox left on disk by an earlier agent (ready or half made), except those a pod took
    /// (their record under the pod's uid names the same container id), whose pool file alone goes.
    /// </summary>
    /// <exception cref="NetworkCommandException">A sandbox could not be undone; it stays for the next try.</exception>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var ids = _records.Keys().Concat(PendingIds()).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in podRecords.Keys())
        {
            try
            {
                if (await podRecords.ReadAsync(key, cancellationToken) is { } record)
                {
                    claimed.Add(record.ContainerId);
                }
            }
            catch (InvalidDataException)
            {
                // A damaged pod record names no pool sandbox that could be told apart; the pod's own delete handles it.
            }
        }

        foreach (var id in ids)
        {
            if (!claimed.Contains(id))
            {
                SandboxRecord? record;
                try
                {
                    record = await _records.ReadAsync(id, cancellationToken);
                }
                catch (InvalidDataException)
                {
                    record = null;
                }

                await maker.DestroyAsync(id, record?.NetworkNamespace ?? NamespaceName(id), record, cancellationToken);
            }

            Forget(id);
        }
    }

    /// <summary>
    /// Undoes the sandboxes waiting in the pool, e.g. when the agent stops, so none outlives it. All at once: an
    /// agent's shutdown should not wait for them one by one.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var entries = new List<(string Id, SandboxRecord Record)>();
        while (_ready.TryDequeue(out var entry))
        {
            entries.Add(entry);
        }

        await Task.WhenAll(entries.Select(async entry =>
        {
            await maker.DestroyAsync(entry.Record.ContainerId, entry.Record.NetworkNamespace, entry.Record, cancellationToken);
            Forget(entry.Id);
        }));
    }

    /// <summary>Returns once no sandbox was taken for <see cref="QuietPeriod"/>, or at once in a burst of takes.</summary>
    private async Task WaitForQuietAsync(CancellationToken cancellationToken)
    {
        if (!_ready.IsEmpty && Interlocked.Read(ref _takeGapTicks) >= QuietPeriod.Ticks)
        {
            using var quiet = new CancellationTokenSource(QuietPeriod, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, quiet.Token);
            try
            {
                await _taken.Reader.ReadAsync(either.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Quiet: the pod that took the sandbox has had its time.
            }
        }
    }

    private async Task MakeOneAsync(CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("D");
        var name = NamespaceName(id);
        Directory.CreateDirectory(options.PoolDirectory);
        await File.WriteAllBytesAsync(PendingPath(id), [], cancellationToken);
        try
        {
            var (_, json) = await maker.MakeAsync(id, name, null, null, cancellationToken);
            var record = new SandboxRecord("", id, "", "", name, json, PluginMasquerade: false, LoopbackPlugin: false);
            await _records.WriteAsync(id, record, cancellationToken);
            File.Delete(PendingPath(id));
            _ready.Enqueue((id, record));
        }
        catch
        {
            try
            {
                await maker.DestroyAsync(id, name, null, CancellationToken.None);
                Forget(id);
            }
            catch (NetworkCommandException)
            {
                // The pending file stays, so the next agent start undoes what is left.
            }

            throw;
        }
    }

    private string NamespaceName(string id) => PodNetwork.NamespaceName(options.NamespacePrefix, id);

    private void Forget(string id)
    {
        _records.Delete(id);
        File.Delete(PendingPath(id));
    }

    private IEnumerable<string> PendingIds() =>
        Directory.Exists(options.PoolDirectory)
            ? Directory.EnumerateFiles(options.PoolDirectory, "*" + Pending).Select(p => Path.GetFileName(p)[..^Pending.Length])
            : [];

    private string PendingPath(string id) => Path.Combine(options.PoolDirectory, id + Pending);
}
