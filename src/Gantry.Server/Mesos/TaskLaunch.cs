using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Mesos;

/// <summary>
/// A LAUNCH operation's TaskInfo made a pod on the offer's node, after the checks Mesos' master makes of a task; a task
/// that fails one is answered TASK_ERROR with the reason. A command task without an image runs as a host process, as
/// Mesos' command executor runs it (Gantry's <c>process</c> runtime); one with a Docker image runs in an OCI container.
/// Memory is a limit, as Mesos enforces it; cpus are a request (Mesos' cpu shares).
/// </summary>
public static class TaskLaunch
{
    /// <summary>How long a killed task has between SIGTERM and SIGKILL when its kill policy names none (Mesos' command executor's 3 s).</summary>
    public const long DefaultKillGraceSeconds = 3;

    public static V1Pod? Pod(JsonObject task, TaskOwner owner, string agent, out string? error)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(owner);
        try
        {
            return Build(task, owner, agent, out error);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            error = $"Task is malformed: {ex.Message}";
            return null;
        }
    }

    private static V1Pod? Build(JsonObject task, TaskOwner owner, string agent, out string? error)
    {
        var taskId = task["task_id"]?["value"]?.GetValue<string>() ?? "";
        error = ValidateId(taskId)
            ?? (task["agent_id"]?["value"]?.GetValue<string>() is var taskAgent && taskAgent != agent
                ? $"Task uses agent ID '{taskAgent}' which does not match the offer's agent ID '{agent}'"
                : null)
            ?? ((task["command"] is null) == (task["executor"] is null)
                ? "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present"
                : null)
            ?? (task["executor"] is not null ? "Gantry runs tasks without executors: give the task a CommandInfo instead of an ExecutorInfo" : null);
        if (error is not null)
        {
            return null;
        }

        if (task["resources"] is not JsonArray { Count: > 0 } listed)
        {
            error = "Task uses no resources";
            return null;
        }

        var resources = MesosResources.Parse(listed, out error);
        var command = task["command"]!.AsObject();
        var image = ImageOf(task["container"] as JsonObject, ref error);
        var environment = EnvironmentOf(command, ref error);
        if (error is not null)
        {
            return null;
        }

        var shell = command["shell"]?.GetValue<bool>() ?? true;
        var value = command["value"]?.GetValue<string>();
        var arguments = (command["arguments"] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? "").ToList();
        if (string.IsNullOrEmpty(value) && (shell || image is null))
        {
            error = "Task's CommandInfo has no value to run";
            return null;
        }

        environment.Add(new V1EnvVar { Name = "MESOS_TASK_ID", Value = taskId });
        environment.Add(new V1EnvVar { Name = "MESOS_FRAMEWORK_ID", Value = owner.FrameworkId });
        environment.Add(new V1EnvVar { Name = "MESOS_AGENT_ID", Value = agent });
        var (requests, limits) = resources.ToQuantities();
        var container = new V1Container
        {
            Name = "task",
            Image = image ?? "none",
            // Mesos' argv for a non-shell command starts with argv[0]; the value is what runs.
            Command = shell ? ["/bin/sh", "-c", value!] : string.IsNullOrEmpty(value) ? null : [value],
            Args = shell ? null : string.IsNullOrEmpty(value) ? arguments : [.. arguments.Skip(1)],
            Env = environment,
            Resources = new V1ResourceRequirements { Requests = requests, Limits = limits.Count == 0 ? null : limits },
        };
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = TaskPods.PodName(taskId),
                NamespaceProperty = TaskPods.Namespace,
                Labels = new Dictionary<string, string> { [PodFramework.Label] = owner.FrameworkId },
                Annotations = new Dictionary<string, string>
                {
                    [TaskPods.TaskIdAnnotation] = taskId,
                    [TaskPods.TaskNameAnnotation] = task["name"]?.GetValue<string>() ?? "",
                    [TaskPods.FrameworkNameAnnotation] = owner.FrameworkName,
                    [TaskPods.FailoverTimeoutAnnotation] = owner.FailoverTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                },
            },
            Spec = new V1PodSpec
            {
                NodeName = agent,
                SchedulerName = PodFramework.SchedulerName,
                RuntimeClassName = image is null ? "process" : null,
                RestartPolicy = "Never",
                TerminationGracePeriodSeconds = KillGraceSeconds(task),
                Containers = [container],
            },
        };
    }

    /// <summary>Mesos' checks of a task id: not empty, printable, no slash, not a path's dot entries.</summary>
    private static string? ValidateId(string id) =>
        id.Length == 0 ? "Task ID must not be empty"
        : id is "." or ".." ? "'.' and '..' are disallowed for Task ID"
        : id.Contains('/', StringComparison.Ordinal) ? "Task ID cannot contain '/'"
        : id.Any(char.IsControl) ? "Task ID must be composed of printable characters"
        : id.Length > 255 ? "Task ID must not be longer than 255 characters"
        : null;

    private static string? ImageOf(JsonObject? container, ref string? error)
    {
        if (container is null || error is not null)
        {
            return null;
        }

        var type = container["type"]?.GetValue<string>() ?? "MESOS";
        var image = type switch
        {
            "DOCKER" => container["docker"]?["image"]?.GetValue<string>(),
            "MESOS" => container["mesos"]?["image"] is JsonObject mesosImage
                ? mesosImage["docker"]?["name"]?.GetValue<string>() ?? Unsupported("an image that is not a Docker image", ref error)
                : null,
            _ => Unsupported($"containers of type {type}", ref error),
        };
        if (type == "DOCKER" && string.IsNullOrEmpty(image) && error is null)
        {
            error = "Task's DockerInfo has no image";
        }

        return image;
    }

    private static string? Unsupported(string what, ref string? error)
    {
        error = $"Gantry does not run {what}";
        return null;
    }

    private static List<V1EnvVar> EnvironmentOf(JsonObject command, ref string? error)
    {
        var environment = new List<V1EnvVar>();
        foreach (var variable in command["environment"]?["variables"] as JsonArray ?? [])
        {
            var name = variable?["name"]?.GetValue<string>() ?? "";
            if ((variable?["type"]?.GetValue<string>() ?? "VALUE") != "VALUE")
            {
                error ??= $"Environment variable '{name}' is a secret, which Gantry does not resolve";
                continue;
            }

            environment.Add(new V1EnvVar { Name = name, Value = variable?["value"]?.GetValue<string>() ?? "" });
        }

        return environment;
    }

    private static long KillGraceSeconds(JsonObject task)
    {
        var nanoseconds = MesosJson.Number(task["kill_policy"]?["grace_period"]?["nanoseconds"]);
        return nanoseconds is { } ns and >= 0 and < long.MaxValue ? (long)Math.Ceiling(ns / 1e9) : DefaultKillGraceSeconds;
    }
}

/// <summary>The framework a task is launched for, as its pod records it.</summary>
public sealed record TaskOwner(string FrameworkId, string FrameworkName, TimeSpan FailoverTimeout);
