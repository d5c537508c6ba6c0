using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Marathon;

public sealed class AppDeploymentsTests
{
    private static readonly AppVersions Versions = new("2024-05-01T12:00:05.000Z", "2024-05-01T12:00:00.000Z", "deployment-1", "StartApplication");

    private static JsonObject App(string json, string id = "/app") => AppDefinition.Normalize(JsonNode.Parse(json)!.AsObject(), id);

    private static V1Deployment Build(string json, string id = "/app") => AppDeployments.Build(App(json, id), Versions);

    private static V1PodSpec Pod(string json) => Build(json).Spec.Template.Spec;

    private static V1Container Container(string json) => Assert.Single(Pod(json).Containers);

    private static string? Env(V1Container container, string name) => container.Env.Single(e => e.Name == name).Value;

    [Fact]
    public void The_app_is_kept_in_the_marathon_namespace_under_its_dotted_name()
    {
        var deployment = Build("""{"cmd":"sleep 1"}""", "/a/b");

        Assert.Equal(("marathon", "a.b"), (deployment.Metadata.NamespaceProperty, deployment.Metadata.Name));
    }

    [Fact]
    public void The_app_label_selects_the_pods_of_the_template()
    {
        var deployment = Build("""{"cmd":"sleep 1"}""", "/a/b");

        Assert.Equal("a.b", deployment.Spec.Selector.MatchLabels[AppDeployments.AppLabel]);
        Assert.Equal("a.b", deployment.Spec.Template.Metadata.Labels[AppDeployments.AppLabel]);
    }

    [Fact]
    public void The_annotations_hold_the_app_id_its_versions_and_the_deployment_that_changed_it()
    {
        var annotations = Build("""{"cmd":"sleep 1"}""", "/a/b").Metadata.Annotations;

        Assert.Equal(
            ("/a/b", "2024-05-01T12:00:05.000Z", "2024-05-01T12:00:00.000Z", "deployment-1", "StartApplication"),
            (annotations[AppDeployments.AppIdAnnotation], annotations[AppDeployments.VersionAnnotation], annotations[AppDeployments.ConfigVersionAnnotation],
                annotations[AppDeployments.DeploymentIdAnnotation], annotations[AppDeployments.DeploymentActionAnnotation]));
    }

    [Fact]
    public void The_definition_annotation_is_the_normalized_definition()
    {
        var app = App("""{"cmd":"sleep 1","instances":2}""");

        var stored = AppDeployments.Build(app, Versions).Metadata.Annotations[AppDeployments.DefinitionAnnotation];

        Assert.True(JsonNode.DeepEquals(app, JsonNode.Parse(stored)));
    }

    [Fact]
    public void Replicas_are_the_instances()
    {
        Assert.Equal(3, Build("""{"cmd":"sleep 1","instances":3}""").Spec.Replicas);
    }

    [Fact]
    public void A_cmd_without_a_container_runs_under_sh_as_a_host_process()
    {
        var pod = Pod("""{"cmd":"echo hi"}""");

        Assert.Equal(("process", "none"), (pod.RuntimeClassName, pod.Containers[0].Image));
        Assert.Equal(["/bin/sh", "-c", "echo hi"], pod.Containers[0].Command);
    }

    [Fact]
    public void Args_without_a_container_are_the_host_process_command()
    {
        var container = Container("""{"args":["sleep","10"]}""");

        Assert.Equal(["sleep", "10"], container.Command);
    }

    [Fact]
    public void A_docker_image_runs_as_a_container_with_the_args_as_its_arguments()
    {
        var pod = Pod("""{"container":{"docker":{"image":"nginx:1.27"}},"args":["-g","daemon off;"]}""");

        Assert.Equal(("nginx:1.27", null, null), (pod.Containers[0].Image, pod.RuntimeClassName, pod.Containers[0].Command));
        Assert.Equal(["-g", "daemon off;"], pod.Containers[0].Args);
    }

    [Fact]
    public void A_quarter_cpu_is_a_request_of_250_millicores()
    {
        Assert.Equal("250m", Container("""{"cmd":"sleep 1","cpus":0.25}""").Resources.Requests["cpu"].ToString());
    }

    [Fact]
    public void Memory_is_requested_and_limited_in_mebibytes()
    {
        var resources = Container("""{"cmd":"sleep 1","mem":64}""").Resources;

        Assert.Equal(("64Mi", "64Mi"), (resources.Requests["memory"].ToString(), resources.Limits["memory"].ToString()));
    }

    [Fact]
    public void The_apps_env_is_the_tasks_env()
    {
        Assert.Equal("bar", Env(Container("""{"cmd":"sleep 1","env":{"FOO":"bar"}}"""), "FOO"));
    }

    [Fact]
    public void Tasks_see_the_app_id_and_its_config_version_as_Marathon_sets_them()
    {
        var container = Container("""{"cmd":"sleep 1"}""");

        Assert.Equal(("/app", Versions.ConfigVersion), (Env(container, "MARATHON_APP_ID"), Env(container, "MARATHON_APP_VERSION")));
    }

    [Fact]
    public void Tasks_see_their_ports_as_PORT0_PORT_and_PORTS()
    {
        var container = Container("""{"cmd":"sleep 1","portDefinitions":[{"port":10000},{"port":10001}]}""");

        Assert.Equal(
            ("10000", "10001", "10000", "10000,10001"),
            (Env(container, "PORT0"), Env(container, "PORT1"), Env(container, "PORT"), Env(container, "PORTS")));
    }

    [Fact]
    public void The_upgrade_strategy_bounds_the_rolling_update()
    {
        var rolling = Build("""{"cmd":"sleep 1","upgradeStrategy":{"minimumHealthCapacity":0.5,"maximumOverCapacity":0.25}}""").Spec.Strategy.RollingUpdate;

        Assert.Equal(("50%", "25%"), (rolling.MaxUnavailable.Value, rolling.MaxSurge.Value));
    }

    [Fact]
    public void With_no_room_either_way_the_tasks_are_replaced_one_at_a_time_killing_first()
    {
        var rolling = Build("""{"cmd":"sleep 1","upgradeStrategy":{"minimumHealthCapacity":1,"maximumOverCapacity":0}}""").Spec.Strategy.RollingUpdate;

        Assert.Equal(("1", "0"), (rolling.MaxUnavailable.Value, rolling.MaxSurge.Value));
    }

    [Fact]
    public void A_strategy_rounding_to_no_room_either_way_is_treated_as_none()
    {
        // 0.4 % of unavailability rounds to 0 %, which with no surge the Deployment's rules refuse.
        var rolling = Build("""{"cmd":"sleep 1","upgradeStrategy":{"minimumHealthCapacity":0.996,"maximumOverCapacity":0}}""").Spec.Strategy.RollingUpdate;

        Assert.Equal(("1", "0"), (rolling.MaxUnavailable.Value, rolling.MaxSurge.Value));
    }

    [Fact]
    public void A_COMMAND_health_check_is_a_readiness_probe_judged_on_each_interval()
    {
        var probe = Container("""{"cmd":"sleep 1","healthChecks":[{"protocol":"COMMAND","command":{"value":"test -f /tmp/ok"},"intervalSeconds":7}]}""").ReadinessProbe;

        Assert.Equal(["/bin/sh", "-c", "test -f /tmp/ok"], probe.Exec.Command);
        Assert.Equal((1, 7, 0), (probe.FailureThreshold, probe.PeriodSeconds, probe.InitialDelaySeconds));
    }

    [Fact]
    public void A_health_check_is_a_liveness_probe_that_kills_after_the_consecutive_failures_once_the_grace_period_is_over()
    {
        var probe = Container("""
            {"cmd":"sleep 1","healthChecks":[{"protocol":"COMMAND","command":{"value":"true"},"maxConsecutiveFailures":5,"gracePeriodSeconds":30}]}
            """).LivenessProbe;

        Assert.Equal((5, 30), (probe.FailureThreshold, probe.InitialDelaySeconds));
    }

    [Fact]
    public void A_health_check_allowing_no_failures_never_kills_the_task()
    {
        var container = Container("""{"cmd":"sleep 1","healthChecks":[{"protocol":"COMMAND","command":{"value":"true"},"maxConsecutiveFailures":0}]}""");

        Assert.Null(container.LivenessProbe);
        Assert.NotNull(container.ReadinessProbe);
    }

    [Fact]
    public void An_HTTP_health_check_gets_the_path_on_the_port_it_indexes()
    {
        var probe = Container("""
            {"cmd":"sleep 1","portDefinitions":[{"port":10000},{"port":10001}],"healthChecks":[{"protocol":"HTTP","portIndex":0,"path":"/health"}]}
            """).ReadinessProbe;

        Assert.Equal(("/health", "10000", "HTTP"), (probe.HttpGet.Path, probe.HttpGet.Port.Value, probe.HttpGet.Scheme));
    }

    [Fact]
    public void A_TCP_health_check_connects_to_the_port_it_indexes()
    {
        var probe = Container("""
            {"cmd":"sleep 1","portDefinitions":[{"port":10000},{"port":10001}],"healthChecks":[{"protocol":"TCP","portIndex":1}]}
            """).ReadinessProbe;

        Assert.Equal("10001", probe.TcpSocket.Port.Value);
    }

    [Fact]
    public void UNIQUE_hostname_keeps_two_tasks_of_the_app_off_one_node()
    {
        var term = Assert.Single(Pod("""{"cmd":"sleep 1","constraints":[["hostname","UNIQUE"]]}""").Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);

        Assert.Equal("kubernetes.io/hostname", term.TopologyKey);
        Assert.Equal(new Dictionary<string, string> { [AppDeployments.AppLabel] = "app" }, term.LabelSelector.MatchLabels);
    }

    [Fact]
    public void CLUSTER_on_a_node_label_selects_nodes_with_that_label_value()
    {
        Assert.Equal(new Dictionary<string, string> { ["rack"] = "r1" }, Pod("""{"cmd":"sleep 1","constraints":[["rack","CLUSTER","r1"]]}""").NodeSelector);
    }

    [Fact]
    public void CLUSTER_on_hostname_selects_the_node_by_its_hostname_label()
    {
        Assert.Equal(
            new Dictionary<string, string> { ["kubernetes.io/hostname"] = "n1" },
            Pod("""{"cmd":"sleep 1","constraints":[["hostname","CLUSTER","n1"]]}""").NodeSelector);
    }

    [Fact]
    public void An_app_without_constraints_has_no_affinity_and_no_node_selector()
    {
        var pod = Pod("""{"cmd":"sleep 1"}""");

        Assert.Null(pod.Affinity);
        Assert.Null(pod.NodeSelector);
    }

    [Fact]
    public void The_kill_grace_period_is_the_pods_termination_grace_period()
    {
        Assert.Equal(20, Pod("""{"cmd":"sleep 1","taskKillGracePeriodSeconds":20}""").TerminationGracePeriodSeconds);
    }

    [Fact]
    public void Scaling_keeps_the_pod_template_so_that_nothing_rolls()
    {
        var before = AppDeployments.Build(App("""{"cmd":"sleep 1","instances":1}"""), Versions);
        var scaled = AppDeployments.Build(
            App("""{"cmd":"sleep 1","instances":5}"""), Versions with { Version = "2024-05-01T12:01:00.000Z", DeploymentId = "deployment-2", Action = "ScaleApplication" });

        Assert.Equal(KubernetesJson.Serialize(before.Spec.Template), KubernetesJson.Serialize(scaled.Spec.Template));
    }

    [Fact]
    public void A_new_config_version_changes_the_pod_template_so_that_the_tasks_roll()
    {
        var app = App("""{"cmd":"sleep 1"}""");
        var before = AppDeployments.Build(app, Versions);
        var restarted = AppDeployments.Build(app, Versions with { Version = "2024-05-01T12:01:00.000Z", ConfigVersion = "2024-05-01T12:01:00.000Z" });

        Assert.NotEqual(KubernetesJson.Serialize(before.Spec.Template), KubernetesJson.Serialize(restarted.Spec.Template));
    }
}
