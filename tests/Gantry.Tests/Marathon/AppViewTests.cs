using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Marathon;

public sealed class AppViewTests
{
    private const string Checked = """{"cmd":"sleep 1","instances":2,"portDefinitions":[{"port":10000}],"healthChecks":[{"protocol":"TCP"}]}""";
    private const string Unchecked = """{"cmd":"sleep 1","instances":2,"portDefinitions":[{"port":10000}]}""";

    private static readonly AppVersions Versions = new("2024-05-01T12:00:05.000Z", "2024-05-01T12:00:00.000Z", "deployment-1", "ScaleApplication");

    private static V1Deployment Deployment(string json, V1DeploymentStatus? status = null)
    {
        var deployment = AppDeployments.Build(AppDefinition.Normalize(JsonNode.Parse(json)!.AsObject(), "/web"), Versions);
        deployment.Metadata.Generation = 2;
        deployment.Status = status;
        return deployment;
    }

    /// <summary>The status of a Deployment of two replicas that has rolled out generation 2.</summary>
    private static V1DeploymentStatus RolledOut() => new() { ObservedGeneration = 2, Replicas = 2, UpdatedReplicas = 2, AvailableReplicas = 2, ReadyReplicas = 2 };

    private static V1Pod Pod(string uid, string phase, bool ready = false, string? ip = "10.0.0.7") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web-abc-" + uid,
            NamespaceProperty = AppDeployments.Namespace,
            Uid = uid,
            CreationTimestamp = new DateTime(2024, 5, 1, 12, 0, 1, DateTimeKind.Utc),
            Annotations = new Dictionary<string, string> { [AppDeployments.ConfigVersionAnnotation] = Versions.ConfigVersion },
        },
        Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "app" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    private static int Count(JsonObject app, string field) => app[field]!.GetValue<int>();

    [Fact]
    public void Running_and_pending_pods_are_counted_as_running_and_staged_tasks()
    {
        var app = AppView.App(Deployment(Unchecked), [Pod("1", "Running"), Pod("2", "Running"), Pod("3", "Pending")], embedTasks: false);

        Assert.Equal((2, 1), (Count(app, "tasksRunning"), Count(app, "tasksStaged")));
    }

    [Fact]
    public void With_health_checks_a_running_task_is_healthy_when_its_pod_is_ready()
    {
        var app = AppView.App(Deployment(Checked), [Pod("1", "Running", ready: true), Pod("2", "Running", ready: false)], embedTasks: false);

        Assert.Equal((1, 1), (Count(app, "tasksHealthy"), Count(app, "tasksUnhealthy")));
    }

    [Fact]
    public void A_staged_task_is_neither_healthy_nor_unhealthy()
    {
        var app = AppView.App(Deployment(Checked), [Pod("1", "Pending")], embedTasks: false);

        Assert.Equal((0, 0), (Count(app, "tasksHealthy"), Count(app, "tasksUnhealthy")));
    }

    [Fact]
    public void Without_health_checks_no_task_is_counted_healthy_or_unhealthy()
    {
        var app = AppView.App(Deployment(Unchecked), [Pod("1", "Running", ready: true)], embedTasks: false);

        Assert.Equal((0, 0), (Count(app, "tasksHealthy"), Count(app, "tasksUnhealthy")));
    }

    [Fact]
    public void An_app_still_rolling_out_lists_the_deployment_changing_it()
    {
        var app = AppView.App(Deployment(Unchecked), [], embedTasks: false);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"id":"deployment-1"}]"""), app["deployments"]));
    }

    [Fact]
    public void A_rolled_out_app_lists_no_deployments()
    {
        var app = AppView.App(Deployment(Unchecked, RolledOut()), [], embedTasks: false);

        Assert.Empty(app["deployments"]!.AsArray());
    }

    [Fact]
    public void The_app_carries_its_version_and_when_its_config_last_changed()
    {
        var app = AppView.App(Deployment(Unchecked), [], embedTasks: false);

        Assert.Equal(
            (Versions.Version, Versions.ConfigVersion),
            (app["version"]!.GetValue<string>(), app["versionInfo"]!["lastConfigChangeAt"]!.GetValue<string>()));
    }

    [Fact]
    public void Tasks_are_embedded_only_when_asked_for()
    {
        var deployment = Deployment(Unchecked);

        Assert.False(AppView.App(deployment, [Pod("1", "Running")], embedTasks: false).ContainsKey("tasks"));
        Assert.Single(AppView.App(deployment, [Pod("1", "Running")], embedTasks: true)["tasks"]!.AsArray());
    }

    [Fact]
    public void A_Deployment_without_a_status_is_in_progress()
    {
        Assert.True(AppView.InProgress(Deployment(Unchecked)));
    }

    [Fact]
    public void A_Deployment_whose_status_lags_its_generation_is_in_progress()
    {
        var status = RolledOut();
        status.ObservedGeneration = 1;

        Assert.True(AppView.InProgress(Deployment(Unchecked, status)));
    }

    [Fact]
    public void A_Deployment_with_fewer_available_replicas_than_desired_is_in_progress()
    {
        var status = RolledOut();
        status.AvailableReplicas = 1;

        Assert.True(AppView.InProgress(Deployment(Unchecked, status)));
    }

    [Fact]
    public void A_Deployment_with_old_replicas_left_is_in_progress()
    {
        var status = RolledOut();
        status.Replicas = 3;

        Assert.True(AppView.InProgress(Deployment(Unchecked, status)));
    }

    [Fact]
    public void A_Deployment_whose_status_matches_its_generation_and_replicas_is_done()
    {
        Assert.False(AppView.InProgress(Deployment(Unchecked, RolledOut())));
    }

    [Fact]
    public void A_tasks_id_is_the_app_name_and_the_pod_uid()
    {
        var task = AppView.Task(Deployment(Unchecked), Pod("0f3c", "Running"));

        Assert.Equal(("web.0f3c", "/web"), (task["id"]!.GetValue<string>(), task["appId"]!.GetValue<string>()));
    }

    [Fact]
    public void A_tasks_agent_and_slave_are_its_node()
    {
        var task = AppView.Task(Deployment(Unchecked), Pod("1", "Running"));

        Assert.Equal(("n1", "n1"), (task["agentId"]!.GetValue<string>(), task["slaveId"]!.GetValue<string>()));
    }

    [Fact]
    public void A_tasks_host_is_its_pods_address_where_its_ports_are()
    {
        Assert.Equal("10.0.0.7", AppView.Task(Deployment(Unchecked), Pod("1", "Running"))["host"]!.GetValue<string>());
    }

    [Fact]
    public void A_task_without_an_address_yet_has_its_node_as_host()
    {
        Assert.Equal("n1", AppView.Task(Deployment(Unchecked), Pod("1", "Pending", ip: null))["host"]!.GetValue<string>());
    }

    [Fact]
    public void A_tasks_state_is_its_pods()
    {
        Assert.Equal("TASK_STAGING", AppView.Task(Deployment(Unchecked), Pod("1", "Pending"))["state"]!.GetValue<string>());
    }

    [Fact]
    public void A_tasks_address_is_its_pods_IPv4_address()
    {
        var task = AppView.Task(Deployment(Unchecked), Pod("1", "Running"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"ipAddress":"10.0.0.7","protocol":"IPv4"}]"""), task["ipAddresses"]));
    }

    [Fact]
    public void An_IPv6_address_is_labelled_IPv6()
    {
        var task = AppView.Task(Deployment(Unchecked), Pod("1", "Running", ip: "fd00::7"));

        Assert.Equal("IPv6", task["ipAddresses"]![0]!["protocol"]!.GetValue<string>());
    }

    [Fact]
    public void A_task_without_an_address_yet_has_no_ip_addresses()
    {
        Assert.Empty(AppView.Task(Deployment(Unchecked), Pod("1", "Pending", ip: null))["ipAddresses"]!.AsArray());
    }

    [Fact]
    public void A_tasks_ports_are_the_apps()
    {
        var task = AppView.Task(Deployment(Unchecked), Pod("1", "Running"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[10000]"), task["ports"]));
    }

    [Fact]
    public void A_tasks_version_is_the_config_version_its_pod_was_made_from()
    {
        var pod = Pod("1", "Running");
        pod.Metadata.Annotations[AppDeployments.ConfigVersionAnnotation] = "2023-01-01T00:00:00.000Z";

        Assert.Equal("2023-01-01T00:00:00.000Z", AppView.Task(Deployment(Unchecked), pod)["version"]!.GetValue<string>());
    }

    [Fact]
    public void A_tasks_staging_time_is_its_pods_creation()
    {
        Assert.Equal("2024-05-01T12:00:01.000Z", AppView.Task(Deployment(Unchecked), Pod("1", "Pending"))["stagedAt"]!.GetValue<string>());
    }

    [Fact]
    public void A_running_task_of_a_checked_app_reports_its_health()
    {
        var task = AppView.Task(Deployment(Checked), Pod("1", "Running", ready: false));

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"alive":false,"consecutiveFailures":1,"instanceId":"web.1"}]"""),
            task["healthCheckResults"]));
    }

    [Fact]
    public void A_staged_task_reports_no_health()
    {
        Assert.False(AppView.Task(Deployment(Checked), Pod("1", "Pending")).ContainsKey("healthCheckResults"));
    }

    [Fact]
    public void A_task_of_an_app_without_checks_reports_no_health()
    {
        Assert.False(AppView.Task(Deployment(Unchecked), Pod("1", "Running", ready: true)).ContainsKey("healthCheckResults"));
    }

    [Fact]
    public void The_deployment_is_Marathons_one_step_deployment_of_the_app()
    {
        var deployment = Assert.Single(AppView.Deployments([Deployment(Unchecked)]));

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"id":"deployment-1","version":"2024-05-01T12:00:05.000Z","affectedApps":["/web"],"affectedPods":[],
                 "steps":[{"actions":[{"action":"ScaleApplication","app":"/web"}]}],
                 "currentActions":[{"action":"ScaleApplication","app":"/web","readinessCheckResults":[]}],
                 "currentStep":1,"totalSteps":1}
                """),
            deployment), deployment.ToJsonString());
    }

    [Fact]
    public void The_apps_of_one_group_deployment_are_one_deployment_with_every_app_affected()
    {
        var web = Deployment(Unchecked);
        var db = AppDeployments.Build(AppDefinition.Normalize(JsonNode.Parse(Unchecked)!.AsObject(), "/db"), Versions);

        var deployment = Assert.Single(AppView.Deployments([web, db]));

        Assert.Equal("""["/web","/db"]""", deployment["affectedApps"]!.ToJsonString());
        Assert.Equal(2, deployment["steps"]![0]!["actions"]!.AsArray().Count);
    }

    [Fact]
    public void Timestamps_are_UTC_with_milliseconds()
    {
        var time = new DateTimeOffset(2024, 5, 1, 14, 3, 4, 56, TimeSpan.FromHours(2));

        Assert.Equal("2024-05-01T12:03:04.056Z", AppView.Timestamp(time));
    }
}
