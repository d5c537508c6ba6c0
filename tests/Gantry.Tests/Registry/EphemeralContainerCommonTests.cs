using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class EphemeralContainerCommonTests
{
    private static V1EphemeralContainer Debugger() => new()
    {
        Name = "debugger",
        Image = "busybox",
        ImagePullPolicy = "Always",
        Command = ["sh"],
        Args = ["-c", "sleep 1"],
        Env = [new V1EnvVar { Name = "GREETING", Value = "hi" }],
        EnvFrom = [new V1EnvFromSource { Prefix = "P_" }],
        Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = 1 } } },
        LivenessProbe = new V1Probe { PeriodSeconds = 1 },
        ReadinessProbe = new V1Probe { PeriodSeconds = 2 },
        StartupProbe = new V1Probe { PeriodSeconds = 3 },
        Ports = [new V1ContainerPort { ContainerPort = 80 }],
        ResizePolicy = [new V1ContainerResizePolicy { ResourceName = "cpu", RestartPolicy = "NotRequired" }],
        Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } },
        RestartPolicy = "Always",
        SecurityContext = new V1SecurityContext { Privileged = true },
        Stdin = true,
        StdinOnce = true,
        Tty = true,
        TerminationMessagePath = "/dev/termination-log",
        TerminationMessagePolicy = "FallbackToLogsOnError",
        VolumeDevices = [new V1VolumeDevice { DevicePath = "/dev/xvda", Name = "block" }],
        VolumeMounts = [new V1VolumeMount { MountPath = "/data", Name = "data" }],
        WorkingDir = "/work",
        TargetContainerName = "app",
    };

    private static JsonObject Json(object value) => JsonNode.Parse(KubernetesJson.Serialize(value))!.AsObject();

    [Fact]
    public void As_a_container_it_has_every_field_of_the_ephemeral_container_but_its_target()
    {
        var expected = Json(Debugger());
        expected.Remove("targetContainerName");

        Assert.Equal(expected.ToJsonString(), Json(EphemeralContainerCommon.AsContainer(Debugger())).ToJsonString());
    }

    [Fact]
    public void Back_as_an_ephemeral_container_it_is_the_one_it_came_from_with_the_target_given()
    {
        var debugger = Debugger();

        var back = EphemeralContainerCommon.AsEphemeral(EphemeralContainerCommon.AsContainer(debugger), "app");

        Assert.Equal(Json(debugger).ToJsonString(), Json(back).ToJsonString());
    }

    [Fact]
    public void The_copies_share_the_values_of_the_fields()
    {
        var debugger = Debugger();

        var container = EphemeralContainerCommon.AsContainer(debugger);

        Assert.Same(debugger.Env, container.Env);
        Assert.Same(debugger.SecurityContext, EphemeralContainerCommon.AsEphemeral(container, "app").SecurityContext);
    }

    [Fact]
    public void Restart_policy_rules_which_kubernetes_1_32_lacks_are_not_carried()
    {
        var debugger = Debugger();
        debugger.RestartPolicyRules = [new V1ContainerRestartRule { Action = "Restart" }];

        Assert.Null(EphemeralContainerCommon.AsContainer(debugger).RestartPolicyRules);
    }
}
