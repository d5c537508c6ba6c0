using Gantry.Agent.Network;
using Gantry.Agent.Runtimes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Pods;

/// <summary>
/// Watches the pods bound to this node and gives each its own <see cref="PodWorker"/>. On start it
/// first adopts what the runtimes' checkpoints hold, so workloads started by a previous agent
/// keep running under the new one.
/// </summary>
public sealed class PodSyncLoop(
    IKubernetes client,
    string nodeName,
    IReadOnlyDictionary<string, IContainerRuntime> runtimes,
    PodNetwork network,
    PodSandboxes sandboxes,
    ContainerSpecs specs,
    string? hostIp,
    ILoggerFactory loggerFactory,
    TimeProvider time)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<PodSyncLoop>();
    private readonly Dictionary<string, (PodWorker Worker, Task Run)> _workers = [];
    private readonly Lock _gate = new();

    /// <summary>
    /// The worker of a pod on this node, by namespace and name. A pod deleted and created again under its name (a
    /// StatefulSet's, or by hand) may briefly have two: the one still running, and of those the one not being
    /// deleted, is the pod the name stands for now, as the kubelet's pod manager keeps only the newest by name.
    /// </summary>
    public PodWorker? Find(string ns, string name)
    {
        lock (_gate)
        {
            return _workers.Values
                .Where(w => w.Worker.Namespace == ns && w.Worker.Name == name)
                .OrderBy(w => w.Run.IsCompleted)
                .ThenBy(w => w.Worker.IsTerminating)
                .Select(w => w.Worker)
                .FirstOrDefault();
        }
    }

    /// <summary>Every running container instance on the node, from each worker's last pass.</summary>
    public IReadOnlyList<ContainerHandle> RunningContainers()
    {
        lock (_gate)
        {
            return _workers.Values.SelectMany(w => w.Worker.RunningContainers).ToList();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var adopted = new List<ContainerHandle>();
        foreach (var runtime in runtimes.Values.Distinct())
        {
            adopted.AddRange(await runtime.AdoptAsync(cancellationToken).ConfigureAwait(false));
        }

        var byPod = adopted.GroupBy(h => h.PodUid).ToDictionary(g => g.Key, g => g.ToList());
        _logger.LogInformation("Adopted {Containers} containers of {Pods} pods from checkpoints", adopted.Count, byPod.Count);
        var selector = $"spec.nodeName={nodeName}";
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: selector, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                foreach (var pod in list.Items)
                {
                    Dispatch(pod, byPod, cancellationToken);
                }

                await RemoveOrphansAsync(list.Items, byPod, cancellationToken).ConfigureAwait(false);
                var events = client.CoreV1.WatchListPodForAllNamespacesAsync(
                    fieldSelector: selector, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cancellationToken);
                await foreach (var (type, pod) in events.ConfigureAwait(false))
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        Dispatch(pod, byPod, cancellationToken);
                    }
                    else if (type is WatchEventType.Deleted)
                    {
                        // Gone without a graceful deletion (kubectl delete --force): stop it now, as the kubelet does.
                        pod.Metadata.DeletionTimestamp ??= time.GetUtcNow().UtcDateTime;
                        pod.Metadata.DeletionGracePeriodSeconds ??= 0;
                        Dispatch(pod, byPod, cancellationToken);
                        ForgetWhenDone(pod.Uid());
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Watching the pods of node {Node} failed; re-listing", nodeName);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(_workers.Values.Select(w => w.Run)).ConfigureAwait(false);
    }

    private void Dispatch(V1Pod pod, Dictionary<string, List<ContainerHandle>> adopted, CancellationToken cancellationToken)
    {
        var uid = pod.Uid();
        lock (_gate)
        {
            DispatchLocked(pod, uid, adopted, cancellationToken);
        }
    }

    private void DispatchLocked(V1Pod pod, string uid, Dictionary<string, List<ContainerHandle>> adopted, CancellationToken cancellationToken)
    {
        if (_workers.TryGetValue(uid, out var existing) && !existing.Run.IsCompleted)
        {
            existing.Worker.Update(pod);
            return;
        }

        if (existing.Run is { IsCompleted: true })
        {
            return;
        }

        var worker = new PodWorker(pod, client, runtimes, network, sandboxes, specs, hostIp, loggerFactory.CreateLogger<PodWorker>(), time,
            adopted.Remove(uid, out var handles) ? handles : []);
        _workers[uid] = (worker, Task.Run(() => worker.RunAsync(cancellationToken), CancellationToken.None));
    }

    /// <summary>
    /// A deleted pod's uid sees no more events, so its worker is dropped once it has stopped the pod; until then it
    /// stays, so that events of a pod being stopped never start it again.
    /// </summary>
    private void ForgetWhenDone(string uid)
    {
        Task? run;
        lock (_gate)
        {
            run = _workers.TryGetValue(uid, out var entry) ? entry.Run : null;
        }

        run?.ContinueWith(
            done =>
            {
                lock (_gate)
                {
                    if (_workers.TryGetValue(uid, out var entry) && entry.Run == done)
                    {
                        _workers.Remove(uid);
                    }
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Pods the server no longer has but checkpoints hold are torn down: containers, cgroup, sandbox.</summary>
    private async Task RemoveOrphansAsync(IList<V1Pod> pods, Dictionary<string, List<ContainerHandle>> adopted, CancellationToken cancellationToken)
    {
        var known = pods.Select(p => p.Uid()).ToHashSet();
        foreach (var (uid, handles) in adopted.Where(a => !known.Contains(a.Key)).ToList())
        {
            foreach (var handle in handles)
            {
                var runtime = runtimes[handle.Runtime];
                await runtime.StopAsync(handle, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                await runtime.RemoveAsync(handle, cancellationToken).ConfigureAwait(false);
            }

            await sandboxes.RemoveAsync(uid, cancellationToken).ConfigureAwait(false);
            await network.DeleteSandboxAsync(uid, cancellationToken).ConfigureAwait(false);
            adopted.Remove(uid);
        }
    }
}
