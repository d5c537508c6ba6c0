using Gantry.Server.Api;
using k8s.Models;

namespace Gantry.Server.Mesos;

public sealed partial class MesosMaster
{
    /// <summary>KILL: the task's pod is deleted; its end is reported TASK_KILLED. An unknown task is reconciled: reported lost, as Mesos does.</summary>
    public async Task KillAsync(MesosFramework framework, string taskId, string? agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(framework);
        string pod;
        lock (_gate)
        {
            if (!framework.Tasks.TryGetValue(taskId, out var task))
            {
                framework.ReportUnlaunched(
                    taskId, agent, framework.PartitionAware ? "TASK_UNKNOWN" : "TASK_LOST", "Reconciliation: Task is unknown",
                    "REASON_RECONCILIATION", _time.GetUtcNow());
                return;
            }

            if (task.State.IsTerminal)
            {
                return;
            }

            // The pod may exist before the master has seen it: it is deleted by name; if its create is still under
            // way, the launch deletes it when the create returns.
            task.KillRequested = true;
            pod = task.PodName;
        }

        await DeletePodAsync(pod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// ACKNOWLEDGE: the update with this uuid is not sent again. A terminal update's acknowledgement is kept on the pod, so
    /// that a restarted server does not send it again either.
    /// </summary>
    public async Task AcknowledgeAsync(MesosFramework framework, string taskId, string uuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(framework);
        string? terminalPod = null;
        lock (_gate)
        {
            if (!framework.Tasks.TryGetValue(taskId, out var task) || !framework.Acknowledge(task, uuid))
            {
                return;
            }

            if (task.Finished)
            {
                if (task.Pod is null)
                {
                    framework.Tasks.Remove(taskId);
                }
                else
                {
                    terminalPod = task.PodName;
                }
            }
        }

        if (terminalPod is null)
        {
            return;
        }

        try
        {
            await _client.MutateAsync<V1Pod>(TaskPods.Namespace, terminalPod, pod =>
            {
                pod.Metadata.Annotations ??= new Dictionary<string, string>();
                pod.Metadata.Annotations[TaskPods.AcknowledgedAnnotation] = "true";
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
    }

    /// <summary>
    /// RECONCILE: the latest state of the tasks named, or with none named of every task not finished, each as an update
    /// with REASON_RECONCILIATION and nothing to acknowledge. A named task the master does not know is reported lost.
    /// </summary>
    public void Reconcile(MesosFramework framework, IReadOnlyList<(string TaskId, string? Agent)> tasks)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(tasks);
        lock (_gate)
        {
            if (tasks.Count == 0)
            {
                foreach (var task in framework.Tasks.Values.Where(t => !t.Finished))
                {
                    framework.Session?.Send(SchedulerEvents.Update(task.Status(null, "REASON_RECONCILIATION", "SOURCE_MASTER")));
                }

                return;
            }

            foreach (var (taskId, agent) in tasks)
            {
                if (framework.Tasks.TryGetValue(taskId, out var task))
                {
                    framework.Session?.Send(SchedulerEvents.Update(task.Status(null, "REASON_RECONCILIATION", "SOURCE_MASTER")));
                }
                else
                {
                    framework.ReportUnlaunched(
                        taskId, agent, framework.PartitionAware ? "TASK_UNKNOWN" : "TASK_LOST", "Reconciliation: Task is unknown",
                        "REASON_RECONCILIATION", _time.GetUtcNow());
                }
            }
        }
    }

    public void Decline(MesosFramework framework, IReadOnlyList<string> offerIds, TimeSpan refuse)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(offerIds);
        var own = _allocator.OutstandingOffers(framework.Id).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in offerIds.Where(own.Contains))
        {
            _allocator.Decline(id, refuse);
        }

        _allocation.Trigger();
    }

    /// <summary>REVIVE: offers resume and the framework's filters are cleared.</summary>
    public void Revive(MesosFramework framework)
    {
        ArgumentNullException.ThrowIfNull(framework);
        _allocator.Revive(framework.Id);
        _allocation.Trigger();
    }

    /// <summary>SUPPRESS: no more offers until REVIVE; those outstanding stay.</summary>
    public void Suppress(MesosFramework framework)
    {
        ArgumentNullException.ThrowIfNull(framework);
        _allocator.Suppress(framework.Id);
    }
}
