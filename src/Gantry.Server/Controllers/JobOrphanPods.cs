using Gantry.Server.Informers;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The job controller's orphan queue (kube's orphanQueue and syncOrphanPod): a pod that holds the
/// <see cref="JobTrackingFinalizer"/> for no job that will remove it (it has no controller, or its job is gone, replaced
/// by another of the same name, or finished) loses it, so that it can be deleted. A pod another kind of controller
/// adopted keeps it, as kube leaves it.
/// </summary>
internal sealed class JobOrphanPods(Informer<V1Job> jobs, Informer<V1Pod> pods, InProcessClient client, TimeProvider time)
{
    private readonly WorkQueue<string> _queue = new(time);

    public Task RunAsync(SharedInformers informers, Action<string, Exception> onError, CancellationToken cancellationToken) =>
        _queue.RunWhenSyncedAsync(informers, 1, ReleaseAsync, onError, cancellationToken);

    public void OnPodChange(V1Pod? current)
    {
        if (current is not null && JobTrackingFinalizer.Has(current) && IsOrphan(current))
        {
            _queue.Add(PodControl.Key(current));
        }
    }

    /// <summary>kube's cleanupPodFinalizers: the syncs of a job deleted or finished no longer release its pods.</summary>
    public void OnJobChange(V1Job? old, V1Job? current)
    {
        var job = current ?? old!;
        if (current is not null && !JobConditions.IsFinished(current.Status))
        {
            return;
        }

        foreach (var pod in PodsByController.Owned(pods, job).Where(JobTrackingFinalizer.Has))
        {
            _queue.Add(PodControl.Key(pod));
        }
    }

    /// <summary>Removes the finalizer of the pod ("namespace/name") if it is still an orphan when its turn comes.</summary>
    public async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (pods.Get(key[..slash], key[(slash + 1)..]) is { } pod && JobTrackingFinalizer.Has(pod) && IsOrphan(pod))
        {
            await JobTrackingFinalizer.RemoveAsync(client, pod, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsOrphan(V1Pod pod)
    {
        if (OwnerReferences.ControllerOf(pod.Metadata) is not { } owner)
        {
            return true;
        }

        if (owner.Kind != "Job" || owner.ApiVersion != "batch/v1")
        {
            return false;
        }

        return jobs.Get(pod.Namespace(), owner.Name) is not { } job || job.Uid() != owner.Uid || JobConditions.IsFinished(job.Status);
    }
}
