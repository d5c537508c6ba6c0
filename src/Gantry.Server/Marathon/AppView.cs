using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Server.Mesos;
using k8s.Models;

namespace Gantry.Server.Marathon;

/// <summary>
/// What Marathon answers about an app, its tasks and its deployments, read from the app's Deployment and pods: the
/// definition with its version and task counts (a task is healthy when its pod is ready, if the app has health
/// checks), each pod as a task, and a Deployment still rolling out as the Marathon deployment that changed the app.
/// </summary>
public static class AppView
{
    public static JsonObject App(V1Deployment deployment, IReadOnlyList<V1Pod> pods, bool embedTasks)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(pods);
        var definition = Definition(deployment);
        var app = definition.DeepClone().AsObject();
        var annotations = deployment.Metadata.Annotations;
        var version = annotations[AppDeployments.VersionAnnotation];
        app["version"] = version;
        app["versionInfo"] = new JsonObject
        {
            ["lastScalingAt"] = version,
            ["lastConfigChangeAt"] = annotations[AppDeployments.ConfigVersionAnnotation],
        };
        var hasChecks = (definition["healthChecks"] as JsonArray)?.Count > 0;
        var states = pods.Select(p => (Pod: p, State: StateOf(p))).ToList();
        var running = states.Where(s => s.State == "TASK_RUNNING").ToList();
        app["tasksStaged"] = states.Count(s => s.State == "TASK_STAGING");
        app["tasksRunning"] = running.Count;
        app["tasksHealthy"] = hasChecks ? running.Count(s => IsReady(s.Pod)) : 0;
        app["tasksUnhealthy"] = hasChecks ? running.Count(s => !IsReady(s.Pod)) : 0;
        app["deployments"] = InProgress(deployment)
            ? new JsonArray(new JsonObject { ["id"] = annotations[AppDeployments.DeploymentIdAnnotation] })
            : new JsonArray();
        if (embedTasks)
        {
            app["tasks"] = new JsonArray([.. pods.Select(p => (JsonNode?)Task(deployment, p))]);
        }

        return app;
    }

    public static JsonObject Definition(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return JsonNode.Parse(deployment.Metadata.Annotations[AppDeployments.DefinitionAnnotation])!.AsObject();
    }

    public static string TaskId(V1Deployment deployment, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(pod);
        return $"{deployment.Metadata.Name}.{pod.Metadata.Uid}";
    }

    public static JsonObject Task(V1Deployment deployment, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(pod);
        var definition = Definition(deployment);
        var ports = new JsonArray([.. AppDeployments.Ports(definition).Select(p => (JsonNode?)JsonValue.Create(p))]);
        var node = pod.Spec.NodeName;
        var started = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Running?.StartedAt;
        var task = new JsonObject
        {
            ["id"] = TaskId(deployment, pod),
            ["appId"] = definition["id"]!.GetValue<string>(),
            // Where the task is reached: its pod's own address, since its ports are the pod's, not the node's.
            ["host"] = pod.Status?.PodIP is { Length: > 0 } podIp ? podIp : node,
            ["agentId"] = node,
            ["slaveId"] = node,
            ["state"] = StateOf(pod),
            ["stagedAt"] = Timestamp(pod.Metadata.CreationTimestamp),
            ["startedAt"] = Timestamp(started),
            ["version"] = pod.Metadata.Annotations?.TryGetValue(AppDeployments.ConfigVersionAnnotation, out var version) == true ? version : null,
            ["ports"] = ports,
            ["servicePorts"] = ports.DeepClone(),
            ["ipAddresses"] = pod.Status?.PodIP is { Length: > 0 } ip
                ? new JsonArray(new JsonObject { ["ipAddress"] = ip, ["protocol"] = ip.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4" })
                : new JsonArray(),
        };
        if ((definition["healthChecks"] as JsonArray)?.Count > 0 && StateOf(pod) == "TASK_RUNNING")
        {
            task["healthCheckResults"] = new JsonArray(new JsonObject
            {
                ["alive"] = IsReady(pod),
                ["consecutiveFailures"] = IsReady(pod) ? 0 : 1,
                ["instanceId"] = TaskId(deployment, pod),
            });
        }

        return task;
    }

    /// <summary>
    /// Deployments not yet rolled out as the Marathon deployments that made their apps' last changes: one for each
    /// deployment id, a group's deployment with every app it changes, all in one step.
    /// </summary>
    public static IEnumerable<JsonObject> Deployments(IEnumerable<V1Deployment> inProgress) =>
        inProgress.GroupBy(d => d.Metadata.Annotations[AppDeployments.DeploymentIdAnnotation], StringComparer.Ordinal).Select(g => Deployment([.. g]));

    private static JsonObject Deployment(IReadOnlyList<V1Deployment> apps)
    {
        var annotations = apps[0].Metadata.Annotations;
        var actions = apps.Select(a => (
            Action: a.Metadata.Annotations[AppDeployments.DeploymentActionAnnotation], App: a.Metadata.Annotations[AppDeployments.AppIdAnnotation])).ToList();
        return new JsonObject
        {
            ["id"] = annotations[AppDeployments.DeploymentIdAnnotation],
            ["version"] = annotations[AppDeployments.VersionAnnotation],
            ["affectedApps"] = new JsonArray([.. actions.Select(a => (JsonNode?)a.App)]),
            ["affectedPods"] = new JsonArray(),
            ["steps"] = new JsonArray(new JsonObject
            {
                ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode?)new JsonObject { ["action"] = a.Action, ["app"] = a.App })]),
            }),
            ["currentActions"] = new JsonArray([.. actions.Select(a => (JsonNode?)new JsonObject
            {
                ["action"] = a.Action,
                ["app"] = a.App,
                ["readinessCheckResults"] = new JsonArray(),
            })]),
            ["currentStep"] = 1,
            ["totalSteps"] = 1,
        };
    }

    /// <summary>
    /// Whether the app's Deployment is still carrying out its last change (Marathon waits for the tasks' health); a
    /// cancelled deployment is not, as Marathon forgets a deployment it cancelled.
    /// </summary>
    public static bool InProgress(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (Cancelled(deployment))
        {
            return false;
        }

        var desired = deployment.Spec.Replicas ?? 1;
        var status = deployment.Status;
        return status is null
            || (status.ObservedGeneration ?? 0) < (deployment.Metadata.Generation ?? 0)
            || (status.UpdatedReplicas ?? 0) != desired
            || (status.Replicas ?? 0) != desired
            || (status.AvailableReplicas ?? 0) < desired;
    }

    /// <summary>Whether the app's last deployment was cancelled (<c>DELETE /v2/deployments/{id}?force=true</c>).</summary>
    public static bool Cancelled(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var annotations = deployment.Metadata.Annotations;
        return annotations?.TryGetValue(AppDeployments.CancelledDeploymentAnnotation, out var cancelled) == true
            && annotations.TryGetValue(AppDeployments.DeploymentIdAnnotation, out var current) && cancelled == current;
    }

    public static string StateOf(V1Pod pod) => TaskState.OfPod(pod, killRequested: pod.Metadata.DeletionTimestamp is not null).State;

    /// <summary>Marathon's timestamps: ISO 8601 in UTC with milliseconds.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string? Timestamp(DateTime? time) =>
        time is { } t ? Timestamp(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))) : null;

    private static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
