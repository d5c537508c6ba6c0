using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Mesos;

public sealed partial class MesosMaster
{
    /// <summary>
    /// ACCEPT: the LAUNCH operations' tasks are checked as Mesos' master checks them and each one that fits what is left
    /// of the offers is committed against them in one ledger commit, then made a pod on the offers' node; what the tasks
    /// leave goes back, kept from the framework for the filter's <c>refuse_seconds</c>. A task that fails a check ends
    /// TASK_ERROR; all of them end TASK_DROPPED (or TASK_LOST) when an offer is no longer valid. Operations Gantry does
    /// not do (reservations, volumes) refuse the whole call before anything changes.
    /// </summary>
    public async Task AcceptAsync(MesosFramework framework, IReadOnlyList<string> offerIds, IReadOnlyList<JsonObject> tasks, TimeSpan refuse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(offerIds);
        ArgumentNullException.ThrowIfNull(tasks);
        var outstanding = _allocator.OutstandingOffers(framework.Id).ToDictionary(o => o.Id, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var offers = offerIds.Select(id => outstanding.GetValueOrDefault(id)).ToList();
        var invalid = offerIds.Where(id => !outstanding.ContainsKey(id)).Select(id => $"Offer {id} is no longer valid").FirstOrDefault()
            ?? (offers.Select(o => o!.Node).Distinct().Count() > 1 ? "Aggregated offers must belong to one single agent" : null)
            ?? (offers.Count == 0 ? "No offers were named" : null);
        if (invalid is not null)
        {
            foreach (var offer in offers.OfType<Offer>())
            {
                _allocator.Decline(offer.Id, TimeSpan.Zero);
            }

            DropAll(framework, tasks, $"Task launched with invalid offers: {invalid}", now);
            return;
        }

        // Before the commit: after it, nothing may stand between the resources taken and the pods that hold them.
        if (tasks.Count > 0)
        {
            await _client.EnsureNamespaceAsync(_namespaces, TaskPods.Namespace, cancellationToken).ConfigureAwait(false);
        }

        var agent = offers[0]!.Node;
        var left = offers.Aggregate(ResourceVector.Zero, (sum, o) => sum.Add(o!.Resources));
        var launches = new List<(TaskRecord Task, V1Pod Pod, Allocation Allocation)>();
        lock (_gate)
        {
            foreach (var info in tasks)
            {
                var taskId = info["task_id"]?["value"]?.GetValue<string>() ?? "";
                var pod = TaskLaunch.Pod(info, framework.Owner, agent, out var error);
                if (error is null && framework.Tasks.TryGetValue(taskId, out var existing) && !existing.Finished)
                {
                    error = $"Task has duplicate ID: {taskId}";
                }

                if (error is null && launches.Any(l => l.Task.TaskId == taskId))
                {
                    error = $"Task has duplicate ID: {taskId}";
                }

                var requests = pod is null ? ResourceVector.Zero : PodRequests.Of(pod);
                if (error is null && requests.Shortfalls(left) is { Count: > 0 })
                {
                    error = $"Task uses more resources {MesosUnits(requests)} than available {MesosUnits(left)}";
                }

                if (error is not null || pod is null)
                {
                    framework.ReportUnlaunched(taskId, agent, "TASK_ERROR", error!, "REASON_TASK_INVALID", now);
                    continue;
                }

                left = left.Subtract(requests);
                var task = new TaskRecord(taskId, agent, pod.Metadata.Name) { Since = now };
                launches.Add((task, pod, new Allocation(PodFramework.ExternalAllocationId(TaskPods.Namespace, pod.Metadata.Name), agent, framework.Id, requests)));
            }

            var commit = _allocator.Accept(offerIds, [.. launches.Select(l => l.Allocation)], keepRemainder: false, refuse);
            if (!commit.Succeeded)
            {
                foreach (var (task, _, _) in launches)
                {
                    framework.ReportUnlaunched(
                        task.TaskId, agent, framework.PartitionAware ? "TASK_DROPPED" : "TASK_LOST",
                        $"Task launched with invalid offers: {commit.Reason}", "REASON_INVALID_OFFERS", now);
                }

                return;
            }

            foreach (var (task, _, _) in launches)
            {
                framework.Tasks[task.TaskId] = task;
            }
        }

        // Not the caller's to cancel: the resources are committed, and only the pods (or their failure) give them back.
        await Task.WhenAll(launches.Select(l => CreatePodAsync(framework, l.Task, l.Pod, l.Allocation))).ConfigureAwait(false);
    }

    private async Task CreatePodAsync(MesosFramework framework, TaskRecord task, V1Pod pod, Allocation allocation)
    {
        try
        {
            await _client.CreateAsync(pod, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever failed, the task has no pod: its resources go back and the framework hears why.
            Log.LaunchFailed(_logger, task.TaskId, framework.Id, ex.Message);
            _allocator.Ledger.Release(allocation.Id);
            _allocation.Trigger();
            lock (_gate)
            {
                if (framework.Tasks.GetValueOrDefault(task.TaskId) == task)
                {
                    framework.Tasks.Remove(task.TaskId);
                }

                framework.ReportUnlaunched(task.TaskId, task.Agent, "TASK_ERROR", ex.Message, "REASON_TASK_INVALID", _time.GetUtcNow());
            }

            return;
        }

        bool killed;
        lock (_gate)
        {
            killed = task.KillRequested || !_frameworks.ContainsKey(framework.Id);
        }

        if (killed)
        {
            await DeletePodAsync(task.PodName, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void DropAll(MesosFramework framework, IReadOnlyList<JsonObject> tasks, string message, DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var info in tasks)
            {
                framework.ReportUnlaunched(
                    info["task_id"]?["value"]?.GetValue<string>() ?? "", info["agent_id"]?["value"]?.GetValue<string>() ?? "",
                    framework.PartitionAware ? "TASK_DROPPED" : "TASK_LOST", message, "REASON_INVALID_OFFERS", now);
            }
        }
    }

    /// <summary>Resources as Mesos prints them: <c>cpus:0.5; mem:128; disk:0</c>.</summary>
    private static string MesosUnits(ResourceVector resources) =>
        string.Join("; ", MesosResources.ToJson(resources, "*").Select(r => $"{r!["name"]}:{r["scalar"]!["value"]}"));
}
