using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

/// <summary>kube's <c>ValidatePodEphemeralContainersUpdate</c> and <c>validateEphemeralContainers</c>, through the pod rules.</summary>
public sealed class PodEphemeralContainersRulesTests
{
    private readonly IResourceRules _rules = new PodRules();

    private static V1Pod Pod(params V1EphemeralContainer[] ephemeral) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }],
            EphemeralContainers = ephemeral.Length == 0 ? null : [.. ephemeral],
        },
    };

    private static V1EphemeralContainer Debugger(string name = "debugger", string? target = null) =>
        new() { Name = name, Image = "busybox", Stdin = true, TargetContainerName = target, Resources = new V1ResourceRequirements() };

    private V1Pod Defaulted(V1Pod pod)
    {
        _rules.Default(pod);
        return pod;
    }

    private List<string> Update(V1Pod pod, V1Pod old) =>
        _rules.ValidateEphemeralContainersUpdate(Defaulted(pod), Defaulted(old)).Select(e => e.ToString()).ToList();

    [Fact]
    public void An_ephemeral_container_as_kubectl_debug_sends_it_is_accepted()
    {
        Assert.Empty(Update(Pod(Debugger(target: "web")), Pod()));
    }

    [Fact]
    public void An_ephemeral_container_gets_a_containers_defaults()
    {
        var container = Defaulted(Pod(Debugger())).Spec.EphemeralContainers.Single();

        Assert.Equal("Always", container.ImagePullPolicy);
        Assert.Equal("/dev/termination-log", container.TerminationMessagePath);
        Assert.Equal("File", container.TerminationMessagePolicy);
    }

    [Fact]
    public void Ephemeral_containers_cannot_be_set_on_create()
    {
        var error = Assert.Single(_rules.ValidateCreate(Defaulted(Pod(Debugger()))));

        Assert.Equal("spec.ephemeralContainers: Forbidden: cannot be set on create", error.ToString());
    }

    [Fact]
    public void A_plain_pod_update_may_not_add_an_ephemeral_container()
    {
        var error = Assert.Single(_rules.ValidateUpdate(Defaulted(Pod(Debugger())), Defaulted(Pod())));

        Assert.StartsWith("spec: Forbidden: pod updates may not change fields other than", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_ephemeral_container_may_not_be_removed()
    {
        var error = Assert.Single(Update(Pod(Debugger("other")), Pod(Debugger())));

        Assert.Equal("spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger\" may not be removed\n", error);
    }

    [Fact]
    public void An_existing_ephemeral_container_may_not_be_changed()
    {
        var changed = Debugger();
        changed.Image = "alpine";

        var error = Assert.Single(Update(Pod(changed), Pod(Debugger())));

        Assert.StartsWith("spec.ephemeralContainers.debugger: Forbidden: existing ephemeral containers \"debugger\" may not be changed\n", error,
            StringComparison.Ordinal);
        Assert.Contains("alpine", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ephemeral_containers_may_come_back_in_another_order()
    {
        Assert.Empty(Update(Pod(Debugger("b"), Debugger("a")), Pod(Debugger("a"))));
    }

    [Fact]
    public void An_ephemeral_containers_name_must_be_unique_among_all_the_pods_containers()
    {
        var error = Assert.Single(Update(Pod(Debugger("web")), Pod()));

        Assert.Equal("spec.ephemeralContainers[0].name: Duplicate value: \"web\"", error);
    }

    [Fact]
    public void The_target_must_be_one_of_the_pods_regular_or_init_containers()
    {
        var error = Assert.Single(Update(Pod(Debugger("a"), Debugger("b", target: "a")), Pod()));

        Assert.Equal("spec.ephemeralContainers[1].targetContainerName: Not found: \"a\"", error);
    }

    [Fact]
    public void Ports_probes_lifecycle_and_resources_cannot_be_set_for_an_ephemeral_container()
    {
        var container = Debugger();
        container.Ports = [new V1ContainerPort { ContainerPort = 80 }];
        container.Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } };
        container.ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["true"] } };
        container.Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["true"] } } };

        var errors = Update(Pod(container), Pod());

        Assert.Equal(
            [
                "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
                "spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container",
                "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
                "spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container",
            ],
            errors);
    }

    [Fact]
    public void A_volume_mount_of_an_ephemeral_container_may_not_use_a_sub_path()
    {
        var pod = Pod();
        pod.Spec.Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }];
        var updated = Pod(Debugger());
        updated.Spec.Volumes = pod.Spec.Volumes;
        updated.Spec.EphemeralContainers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data", SubPath = "x" }];

        var error = Assert.Single(Update(updated, pod));

        Assert.Equal("spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container", error);
    }

    [Fact]
    public void A_static_pod_takes_no_ephemeral_containers()
    {
        var old = Pod();
        old.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "abc" };
        var updated = Pod(Debugger());
        updated.Metadata.Annotations = old.Metadata.Annotations;

        var error = Assert.Single(Update(updated, old));

        Assert.Equal(": Forbidden: static pods do not support ephemeral containers", error);
    }
}
