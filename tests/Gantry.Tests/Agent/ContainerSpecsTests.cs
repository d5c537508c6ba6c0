using System.Net;
using Gantry.Agent.Pods;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class ContainerSpecsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gantry-specs-").FullName;
    private readonly ContainerSpecs _specs;

    public ContainerSpecsTests()
    {
        // The pods below name no config map or secret, so the API server is never asked.
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var sources = new PodConfigSources(client);
        var hostResolvConf = Path.Combine(_root, "resolv.conf");
        File.WriteAllText(hostResolvConf, "nameserver 192.0.2.53\n");
        _specs = new ContainerSpecs(new PodEnvironment(sources, new Dictionary<string, ResourceQuantity>()), new PodVolumes(sources, new ServiceAccountTokenSource(client, TimeProvider.System), Path.Combine(_root, "pods")), PodDns.Default with { HostResolvConf = hostResolvConf });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static V1Pod Pod(Action<V1PodSpec>? change = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-1", NamespaceProperty = "team", Uid = "u-1" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox" }] },
        };
        change?.Invoke(pod.Spec);
        return pod;
    }

    private Task<Gantry.Agent.Runtimes.ContainerSpec> BuildAsync(V1Pod pod, string? podIp = "10.244.0.5") =>
        _specs.BuildAsync(pod, pod.Spec.Containers[0], podIp, "192.0.2.7", terminationMessageFile: null, CancellationToken.None);

    [Fact]
    public async Task A_pod_with_an_ip_gets_its_managed_hosts_file_mounted_read_write_at_etc_hosts()
    {
        var spec = await BuildAsync(Pod());

        var hosts = Assert.Single(spec.Mounts, m => m.ContainerPath == "/etc/hosts");
        Assert.False(hosts.ReadOnly);
        Assert.EndsWith("10.244.0.5\tweb-1\n", await File.ReadAllTextAsync(hosts.HostPath));
    }

    [Fact]
    public async Task A_stdinOnce_container_without_a_tty_has_its_stdin_end_with_the_first_attach()
    {
        var pod = Pod(spec => spec.Containers[0] = new V1Container { Name = "app", Image = "busybox", Stdin = true, StdinOnce = true });

        var spec = await BuildAsync(pod);

        Assert.True(spec.StdinOnce);
    }

    [Fact]
    public async Task A_stdinOnce_container_with_a_tty_keeps_its_stdin_after_an_attach_as_containerd_does()
    {
        var pod = Pod(spec => spec.Containers[0] = new V1Container { Name = "app", Image = "busybox", Stdin = true, StdinOnce = true, Tty = true });

        var spec = await BuildAsync(pod);

        Assert.False(spec.StdinOnce);
        Assert.True(spec.Tty);
    }

    [Fact]
    public async Task A_pod_without_an_ip_yet_gets_no_hosts_file()
    {
        var spec = await BuildAsync(Pod(), podIp: null);

        Assert.DoesNotContain(spec.Mounts, m => m.ContainerPath == "/etc/hosts");
    }

    [Fact]
    public async Task A_container_that_mounts_its_own_etc_hosts_keeps_it()
    {
        var own = Path.Combine(_root, "own-hosts");
        var pod = Pod(spec =>
        {
            spec.Volumes = [new V1Volume { Name = "hosts", HostPath = new V1HostPathVolumeSource { Path = own } }];
            spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "hosts", MountPath = "/etc/hosts" }];
        });

        var spec = await BuildAsync(pod);

        Assert.Equal(own, Assert.Single(spec.Mounts, m => m.ContainerPath == "/etc/hosts").HostPath);
    }

    [Fact]
    public async Task The_hostname_is_spec_hostname_and_the_user_comes_from_the_securityContext()
    {
        var pod = Pod(spec =>
        {
            spec.Hostname = "db-0";
            spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000, FsGroup = 2000 };
        });

        var spec = await BuildAsync(pod);

        Assert.Equal(("db-0", false), (spec.Hostname, spec.HostNetwork));
        Assert.Equal(1000L, spec.User.RunAsUser);
        Assert.Equal([2000L], spec.User.SupplementalGroups);
    }

    [Fact]
    public async Task A_host_network_pod_has_the_nodes_hostname()
    {
        var spec = await BuildAsync(Pod(spec => spec.HostNetwork = true), podIp: "192.0.2.7");

        Assert.Equal((Dns.GetHostName(), true), (spec.Hostname, spec.HostNetwork));
    }

    [Fact]
    public async Task The_termination_message_file_is_mounted_read_write_at_the_containers_terminationMessagePath()
    {
        var pod = Pod(spec => spec.Containers[0].TerminationMessagePath = "/tmp/done");
        var file = _specs.CreateTerminationMessageFile(pod, pod.Spec.Containers[0]);

        var spec = await _specs.BuildAsync(pod, pod.Spec.Containers[0], "10.244.0.5", "192.0.2.7", file, CancellationToken.None);

        Assert.NotNull(file);
        Assert.Contains(new Gantry.Agent.Runtimes.ContainerMount(file, "/tmp/done", ReadOnly: false), spec.Mounts);
    }

    [Fact]
    public void A_process_pod_gets_no_termination_message_file()
    {
        var pod = Pod(spec => spec.RuntimeClassName = "process");

        Assert.Null(_specs.CreateTerminationMessageFile(pod, pod.Spec.Containers[0]));
    }
}
