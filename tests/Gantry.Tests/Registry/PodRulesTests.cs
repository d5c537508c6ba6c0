using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class PodRulesTests
{
    private readonly IResourceRules _rules = new PodRules();

    private static V1Pod Pod(params V1Container[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1PodSpec { Containers = containers.Length == 0 ? [new V1Container { Name = "web", Image = "nginx:1.27" }] : [.. containers] },
    };

    private V1Pod Defaulted(V1Pod pod)
    {
        _rules.Default(pod);
        return pod;
    }

    private IEnumerable<string> Create(V1Pod pod) => _rules.ValidateCreate(Defaulted(pod)).Select(e => e.ToString());

    private IEnumerable<string> Update(V1Pod pod, V1Pod old) => _rules.ValidateUpdate(Defaulted(pod), Defaulted(old)).Select(e => e.ToString());

    private IEnumerable<string> StatusUpdate(V1Pod pod, V1Pod old) => _rules.ValidateStatusUpdate(Defaulted(pod), Defaulted(old)).Select(e => e.ToString());

    [Fact]
    public void Spec_defaults_match_the_apiserver()
    {
        var spec = Defaulted(Pod()).Spec;

        Assert.Equal("Always", spec.RestartPolicy);
        Assert.Equal("ClusterFirst", spec.DnsPolicy);
        Assert.Equal(30, spec.TerminationGracePeriodSeconds);
        Assert.Equal("default-scheduler", spec.SchedulerName);
        Assert.NotNull(spec.SecurityContext);
        Assert.True(spec.EnableServiceLinks);
        Assert.Equal(0, spec.Priority);
        Assert.Equal("PreemptLowerPriority", spec.PreemptionPolicy);
    }

    [Theory]
    [InlineData("-5", true)]
    [InlineData("+7", true)]
    [InlineData("2147483648", false)]
    [InlineData("1.5", false)]
    [InlineData(" 3", false)]
    public void A_pod_deletion_cost_must_be_a_32_bit_integer(string cost, bool valid)
    {
        var pod = Pod();
        pod.Metadata.Annotations = new Dictionary<string, string> { ["controller.kubernetes.io/pod-deletion-cost"] = cost };

        var errors = Create(pod).ToList();

        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.StartsWith("metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value:", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Container_defaults_match_the_apiserver()
    {
        var container = Defaulted(Pod(new V1Container
        {
            Name = "web",
            Image = "nginx:1.27",
            Ports = [new V1ContainerPort { ContainerPort = 80 }],
            Env = [new V1EnvVar { Name = "POD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } }],
        })).Spec.Containers[0];

        Assert.Equal("/dev/termination-log", container.TerminationMessagePath);
        Assert.Equal("File", container.TerminationMessagePolicy);
        Assert.Equal("IfNotPresent", container.ImagePullPolicy);
        Assert.Equal("TCP", container.Ports[0].Protocol);
        Assert.NotNull(container.Resources);
        Assert.Equal("v1", container.Env[0].ValueFrom.FieldRef.ApiVersion);
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("registry.local:5000/team/nginx", "Always")]
    [InlineData("registry.local:5000/team/nginx:1.2", "IfNotPresent")]
    [InlineData("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    public void Image_pull_policy_is_always_only_for_the_latest_tag(string image, string policy)
    {
        var pod = Defaulted(Pod(new V1Container { Name = "web", Image = image }));

        Assert.Equal(policy, pod.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void Probe_defaults_fill_timeouts_and_thresholds()
    {
        var probe = Defaulted(Pod(new V1Container
        {
            Name = "web",
            Image = "nginx",
            LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 80 } },
        })).Spec.Containers[0].LivenessProbe;

        Assert.Equal((1, 10, 1, 3), (probe.TimeoutSeconds, probe.PeriodSeconds, probe.SuccessThreshold, probe.FailureThreshold));
        Assert.Equal(("/", "HTTP"), (probe.HttpGet.Path, probe.HttpGet.Scheme));
    }

    [Fact]
    public void Volume_defaults_give_config_maps_mode_0644_and_sourceless_volumes_an_empty_dir()
    {
        var pod = Pod();
        pod.Spec.Volumes = [new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "app" } }, new V1Volume { Name = "scratch" }];

        Defaulted(pod);

        Assert.Equal(420, pod.Spec.Volumes[0].ConfigMap.DefaultMode);
        Assert.NotNull(pod.Spec.Volumes[1].EmptyDir);
    }

    [Fact]
    public void Limits_without_requests_become_requests()
    {
        var pod = Pod(new V1Container
        {
            Name = "web",
            Image = "nginx",
            Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m") } },
        });

        Assert.Equal("500m", Defaulted(pod).Spec.Containers[0].Resources.Requests["cpu"].ToString());
    }

    [Fact]
    public void Defaulted_pod_is_valid()
    {
        Assert.Empty(Create(Pod()));
    }

    [Fact]
    public void Container_without_image_is_rejected()
    {
        Assert.Equal(["spec.containers[0].image: Required value"], Create(Pod(new V1Container { Name = "web" })));
    }

    [Fact]
    public void Pod_without_containers_is_rejected()
    {
        var pod = Pod();
        pod.Spec.Containers = [];

        Assert.Equal(["spec.containers: Required value"], Create(pod));
    }

    [Fact]
    public void Duplicate_container_names_are_rejected()
    {
        var errors = Create(Pod(new V1Container { Name = "a", Image = "x" }, new V1Container { Name = "a", Image = "y" }));

        Assert.Equal(["spec.containers[1].name: Duplicate value: \"a\""], errors);
    }

    [Fact]
    public void Container_name_must_be_a_dns_label()
    {
        var error = Assert.Single(Create(Pod(new V1Container { Name = "Web_1", Image = "x" })));

        Assert.StartsWith("spec.containers[0].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of", error);
    }

    [Fact]
    public void Unknown_restart_policy_is_not_supported()
    {
        var pod = Pod();
        pod.Spec.RestartPolicy = "Sometimes";

        Assert.Equal(["spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""], Create(pod));
    }

    [Fact]
    public void Container_port_must_be_in_range()
    {
        var errors = Create(Pod(new V1Container { Name = "web", Image = "x", Ports = [new V1ContainerPort { ContainerPort = 70000 }] }));

        Assert.Equal(["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"], errors);
    }

    [Fact]
    public void Requests_above_limits_are_rejected()
    {
        var errors = Create(Pod(new V1Container
        {
            Name = "web",
            Image = "x",
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") },
            },
        }));

        Assert.Equal(["spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"], errors);
    }

    [Fact]
    public void Env_var_names_are_required()
    {
        var errors = Create(Pod(new V1Container { Name = "web", Image = "x", Env = [new V1EnvVar { Value = "1" }] }));

        Assert.Equal(["spec.containers[0].env[0].name: Required value"], errors);
    }

    [Fact]
    public void Volume_mount_must_name_a_volume()
    {
        var errors = Create(Pod(new V1Container { Name = "web", Image = "x", VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }] }));

        Assert.Equal(["spec.containers[0].volumeMounts[0].name: Not found: \"data\""], errors);
    }

    [Fact]
    public void Update_may_change_container_images()
    {
        var old = Pod();
        var updated = Pod(new V1Container { Name = "web", Image = "nginx:1.28" });

        Assert.Empty(Update(updated, old));
    }

    [Fact]
    public void Update_may_add_tolerations()
    {
        var updated = Pod();
        updated.Spec.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Exists", Effect = "NoSchedule" }];

        Assert.Empty(Update(updated, Pod()));
    }

    [Fact]
    public void Update_of_other_spec_fields_is_forbidden()
    {
        var updated = Pod();
        updated.Spec.NodeName = "node-2";

        var error = Assert.Single(Update(updated, Pod()));

        Assert.StartsWith(
            "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n",
            error);
        Assert.Contains("+ \tnodeName: \"node-2\"", error);
    }

    [Fact]
    public void Update_may_not_add_containers()
    {
        var updated = Pod(new V1Container { Name = "web", Image = "x" }, new V1Container { Name = "side", Image = "y" });

        Assert.Equal(["spec.containers: Forbidden: pod updates may not add or remove containers"], Update(updated, Pod()));
    }

    [Fact]
    public void A_status_update_does_not_validate_the_spec_again()
    {
        // A status write keeps the stored spec; one the create path would now refuse is not checked a second time.
        var stored = Pod(new V1Container { Name = "web" });
        var reported = Pod(new V1Container { Name = "web" });
        reported.Status = new V1PodStatus { Phase = "Running", PodIPs = [new V1PodIP { Ip = "10.88.0.5" }] };

        Assert.Empty(StatusUpdate(reported, stored));
    }

    [Fact]
    public void A_status_update_refuses_pod_ips_that_are_not_addresses_or_repeat()
    {
        var reported = Pod();
        reported.Status = new V1PodStatus { PodIPs = [new V1PodIP { Ip = "10.88.0.5" }, new V1PodIP { Ip = "10.88.0.5" }, new V1PodIP { Ip = "pod" }] };

        Assert.Equal(
            [
                "status.podIPs[1]: Duplicate value: \"10.88.0.5\"",
                "status.podIPs[2]: Invalid value: \"pod\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ],
            StatusUpdate(reported, Pod()));
    }

    [Fact]
    public void A_status_update_refuses_a_nominated_node_that_is_not_a_node_name()
    {
        var reported = Pod();
        reported.Status = new V1PodStatus { NominatedNodeName = "Node_1" };

        Assert.Single(StatusUpdate(reported, Pod()), e => e.StartsWith("status.nominatedNodeName: Invalid value: \"Node_1\"", StringComparison.Ordinal));
    }
}
