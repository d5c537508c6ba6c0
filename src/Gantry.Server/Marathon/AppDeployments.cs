using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Server.Mesos;
using k8s.Models;

namespace Gantry.Server.Marathon;

/// <summary>
/// How a Marathon app is kept and run: as a Deployment in the <c>marathon</c> namespace whose annotations hold the app's
/// definition and versions, and whose pods are the app's tasks. Marathon's upgrade strategy is the rolling update's
/// bounds (minimumHealthCapacity 0.8 → maxUnavailable 20 %), its health checks the pods' readiness and liveness
/// probes, a <c>cmd</c> without a container a host process (Gantry's <c>process</c> runtime, as Mesos' command
/// executor runs it). Scaling changes only the replicas; any other change, and a restart, is a new config version in
/// the pod template, which rolls the tasks.
/// </summary>
public static class AppDeployments
{
    public const string Namespace = "marathon";
    public const string AppLabel = "marathon.gantry.io/app";
    public const string AppIdAnnotation = "marathon.gantry.io/app-id";
    public const string DefinitionAnnotation = "marathon.gantry.io/app";
    public const string VersionAnnotation = "marathon.gantry.io/version";
    public const string ConfigVersionAnnotation = "marathon.gantry.io/config-version";
    public const string DeploymentIdAnnotation = "marathon.gantry.io/deployment-id";
    public const string DeploymentActionAnnotation = "marathon.gantry.io/deployment-action";

    /// <summary>The deployment that <c>DELETE /v2/deployments/{id}?force=true</c> cancelled: no longer under way, its rollout paused.</summary>
    public const string CancelledDeploymentAnnotation = "marathon.gantry.io/cancelled-deployment";

    public static V1Deployment Build(JsonObject app, AppVersions versions)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(versions);
        var id = app["id"]!.GetValue<string>();
        var name = AppIds.Name(id);
        var labels = new Dictionary<string, string> { [AppLabel] = name };
        var instances = app["instances"]!.GetValue<int>();
        var strategy = app["upgradeStrategy"]!;
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string>(labels),
                Annotations = new Dictionary<string, string>
                {
                    [AppIdAnnotation] = id,
                    [DefinitionAnnotation] = app.ToJsonString(),
                    [VersionAnnotation] = versions.Version,
                    [ConfigVersionAnnotation] = versions.ConfigVersion,
                    [DeploymentIdAnnotation] = versions.DeploymentId,
                    [DeploymentActionAnnotation] = versions.Action,
                },
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = instances,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = RollingUpdate(strategy["minimumHealthCapacity"]!.GetValue<double>(), strategy["maximumOverCapacity"]!.GetValue<double>()),
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = new Dictionary<string, string>(labels),
                        Annotations = new Dictionary<string, string> { [AppIdAnnotation] = id, [ConfigVersionAnnotation] = versions.ConfigVersion },
                    },
                    Spec = PodSpec(app, name, versions.ConfigVersion),
                },
            },
        };
    }

    /// <summary>The ports the app's tasks listen on: its port definitions, or its container's port mappings.</summary>
    public static IReadOnlyList<int> Ports(JsonObject app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app["container"]?["portMappings"] is JsonArray { Count: > 0 } mappings
            ? [.. mappings.Select(m => m!["containerPort"]!.GetValue<int>())]
            : [.. (app["portDefinitions"] as JsonArray ?? []).Select(p => p!["port"]!.GetValue<int>())];
    }

    private static V1PodSpec PodSpec(JsonObject app, string name, string configVersion)
    {
        var id = app["id"]!.GetValue<string>();
        var image = app["container"]?["docker"]?["image"]?.GetValue<string>();
        var cmd = app["cmd"]?.GetValue<string>();
        var args = (app["args"] as JsonArray)?.Select(a => a!.GetValue<string>()).ToList();
        var ports = Ports(app);
        var env = new List<V1EnvVar>();
        foreach (var (key, value) in app["env"]!.AsObject())
        {
            env.Add(new V1EnvVar { Name = key, Value = value!.GetValue<string>() });
        }

        env.Add(new V1EnvVar { Name = "MARATHON_APP_ID", Value = id });
        env.Add(new V1EnvVar { Name = "MARATHON_APP_VERSION", Value = configVersion });
        env.Add(new V1EnvVar { Name = "MARATHON_APP_RESOURCE_CPUS", Value = app["cpus"]!.ToJsonString() });
        env.Add(new V1EnvVar { Name = "MARATHON_APP_RESOURCE_MEM", Value = app["mem"]!.ToJsonString() });
        env.Add(new V1EnvVar { Name = "MESOS_TASK_ID", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } });
        env.Add(new V1EnvVar { Name = "HOST", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } });
        for (var i = 0; i < ports.Count; i++)
        {
            env.Add(new V1EnvVar { Name = $"PORT{i}", Value = ports[i].ToString(CultureInfo.InvariantCulture) });
        }

        if (ports.Count > 0)
        {
            env.Add(new V1EnvVar { Name = "PORT", Value = ports[0].ToString(CultureInfo.InvariantCulture) });
            env.Add(new V1EnvVar { Name = "PORTS", Value = string.Join(',', ports) });
        }

        var resources = new TaskResources(app["cpus"]!.GetValue<double>(), app["mem"]!.GetValue<double>(), app["disk"]!.GetValue<double>(), app["gpus"]!.GetValue<int>());
        var (requests, limits) = resources.ToQuantities();
        var checks = (app["healthChecks"] as JsonArray ?? []).Select(c => c!.AsObject()).ToList();
        var container = new V1Container
        {
            Name = "app",
            Image = image ?? "none",
            // Marathon runs cmd with /bin/sh -c; args are the command itself, or the image entrypoint's arguments.
            Command = cmd is not null ? ["/bin/sh", "-c", cmd] : image is null ? args : null,
            Args = cmd is null && image is not null ? args : null,
            Env = env,
            Ports = [.. ports.Where(p => p > 0).Distinct().Select(p => new V1ContainerPort { ContainerPort = p, Protocol = "TCP" })],
            Resources = new V1ResourceRequirements { Requests = requests, Limits = limits.Count == 0 ? null : limits },
            ReadinessProbe = checks.Count == 0 ? null : Probe(checks[0], ports, liveness: false),
            LivenessProbe = checks.FirstOrDefault(c => c["maxConsecutiveFailures"]!.GetValue<int>() > 0) is { } live ? Probe(live, ports, liveness: true) : null,
        };
        return new V1PodSpec
        {
            RuntimeClassName = image is null ? "process" : null,
            TerminationGracePeriodSeconds = (long)app["taskKillGracePeriodSeconds"]!.GetValue<double>(),
            Containers = [container],
            Affinity = Affinity(app, name),
            NodeSelector = NodeSelector(app),
        };
    }

    /// <summary>
    /// A Marathon health check as a probe: the readiness probe says whether the task is healthy (every interval, from
    /// the start), the liveness probe kills it after maxConsecutiveFailures once the grace period is over.
    /// </summary>
    private static V1Probe Probe(JsonObject check, IReadOnlyList<int> ports, bool liveness)
    {
        var protocol = check["protocol"]!.GetValue<string>();
        var port = check["port"]?.GetValue<int>() ?? (check["portIndex"] is { } index ? ports[index.GetValue<int>()] : 0);
        var probe = new V1Probe
        {
            PeriodSeconds = Math.Max(1, check["intervalSeconds"]!.GetValue<int>()),
            TimeoutSeconds = Math.Max(1, check["timeoutSeconds"]!.GetValue<int>()),
            FailureThreshold = liveness ? check["maxConsecutiveFailures"]!.GetValue<int>() : 1,
            InitialDelaySeconds = liveness ? check["gracePeriodSeconds"]!.GetValue<int>() : 0,
        };
        if (protocol == "COMMAND")
        {
            probe.Exec = new V1ExecAction { Command = ["/bin/sh", "-c", check["command"]!["value"]!.GetValue<string>()] };
        }
        else if (protocol.EndsWith("TCP", StringComparison.Ordinal))
        {
            probe.TcpSocket = new V1TCPSocketAction { Port = port };
        }
        else
        {
            probe.HttpGet = new V1HTTPGetAction
            {
                Path = check["path"]!.GetValue<string>(),
                Port = port,
                Scheme = protocol.EndsWith("HTTPS", StringComparison.Ordinal) ? "HTTPS" : "HTTP",
            };
        }

        return probe;
    }

    /// <summary>UNIQUE on hostname: no two tasks of the app on one node (required pod anti-affinity).</summary>
    private static V1Affinity? Affinity(JsonObject app, string name) =>
        Constraints(app).Any(c => c is ["hostname", "UNIQUE"])
            ? new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution =
                    [
                        new V1PodAffinityTerm
                        {
                            TopologyKey = "kubernetes.io/hostname",
                            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [AppLabel] = name } },
                        },
                    ],
                },
            }
            : null;

    /// <summary>CLUSTER: every task on nodes whose field (hostname, or a node label) has the value.</summary>
    private static Dictionary<string, string>? NodeSelector(JsonObject app)
    {
        var selector = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var constraint in Constraints(app).Where(c => c is [_, "CLUSTER", _]))
        {
            selector[constraint[0] == "hostname" ? "kubernetes.io/hostname" : constraint[0]] = constraint[2];
        }

        return selector.Count == 0 ? null : selector;
    }

    private static IEnumerable<string[]> Constraints(JsonObject app) =>
        (app["constraints"] as JsonArray ?? []).Select(c => c!.AsArray().Select(f => f!.GetValue<string>()).ToArray());

    /// <summary>
    /// The rolling update's bounds: what may be missing and what may be extra, as shares of the instances. With no room
    /// either way (capacity 1, no extra), Marathon still replaces the tasks one at a time, killing first.
    /// </summary>
    private static V1RollingUpdateDeployment RollingUpdate(double minimumHealthCapacity, double maximumOverCapacity)
    {
        var unavailable = Percent(1 - minimumHealthCapacity);
        var surge = Percent(maximumOverCapacity);
        return unavailable.Value == "0%" && surge.Value == "0%"
            ? new V1RollingUpdateDeployment { MaxUnavailable = 1, MaxSurge = 0 }
            : new V1RollingUpdateDeployment { MaxUnavailable = unavailable, MaxSurge = surge };
    }

    private static IntOrString Percent(double fraction) =>
        ((int)Math.Round(fraction * 100)).ToString(CultureInfo.InvariantCulture) + "%";
}

/// <summary>
/// The versions of an app after a change: its version (every change), its config version (changes other than scaling,
/// and restarts), and the Marathon deployment that carries the change out.
/// </summary>
public sealed record AppVersions(string Version, string ConfigVersion, string DeploymentId, string Action);
