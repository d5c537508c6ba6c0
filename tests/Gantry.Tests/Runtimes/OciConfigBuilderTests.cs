using System.Text.Json.Nodes;
using Gantry.Agent.Cgroups;
using Gantry.Agent.Images;
using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Oci;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class OciConfigBuilderTests
{
    private static readonly PodSandboxInfo Pod = new()
    {
        Uid = "0d7c9a3e",
        Name = "web-1",
        Namespace = "shop",
        NetworkNamespacePath = "/var/run/netns/web-1",
    };

    private static readonly ImageConfig Image = new(["/entry"], ["serve", "--port=80"], ["PATH=/app/bin:/bin", "MODE=image"], "/srv", null);

    private static JsonObject Build(ContainerSpec container, PodSandboxInfo? pod = null, ImageConfig? image = null, UserDatabase? users = null) =>
        OciConfigBuilder.Build(pod ?? Pod, container, image ?? Image, users ?? UserDatabase.Empty, "/gantry/pods/0d7c9a3e/c1");

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    /// <summary>process.user as "uid:gid additionalGids…".</summary>
    private static string UserOf(JsonObject config)
    {
        var user = config["process"]!["user"]!;
        return $"{user["uid"]}:{user["gid"]} {string.Join(',', user["additionalGids"]!.AsArray().Select(g => g!.GetValue<long>()))}";
    }

    [Fact]
    public void The_process_runs_the_images_entrypoint_and_cmd_as_root_with_no_new_privileges()
    {
        var config = Build(new ContainerSpec { Name = "web" });

        var process = config["process"]!;
        Assert.Equal(["/entry", "serve", "--port=80"], Strings(process["args"]));
        Assert.Equal("/srv", process["cwd"]!.GetValue<string>());
        Assert.Equal("0:0 0", UserOf(config));
        Assert.True(process["noNewPrivileges"]!.GetValue<bool>());
        Assert.False(process["terminal"]!.GetValue<bool>());
    }

    [Fact]
    public void Pod_env_overrides_the_images_in_place_and_hostname_is_the_pods_name()
    {
        var config = Build(new ContainerSpec { Name = "web", Env = [new EnvVar("MODE", "pod"), new EnvVar("EXTRA", "1")], WorkingDir = "/work" });

        Assert.Equal(["PATH=/app/bin:/bin", "MODE=pod", "EXTRA=1", "HOSTNAME=web-1"], Strings(config["process"]!["env"]));
        Assert.Equal("/work", config["process"]!["cwd"]!.GetValue<string>());
        Assert.Equal("web-1", config["hostname"]!.GetValue<string>());
    }

    [Fact]
    public void A_tty_container_runs_on_a_terminal_with_TERM_xterm_before_the_images_env_and_the_pods()
    {
        var config = Build(new ContainerSpec { Name = "web", Tty = true, Env = [new EnvVar("TERM", "dumb")] });

        Assert.True(config["process"]!["terminal"]!.GetValue<bool>());
        Assert.Equal(["TERM=dumb", "PATH=/app/bin:/bin", "MODE=image", "HOSTNAME=web-1"], Strings(config["process"]!["env"]));
        Assert.Equal("TERM=xterm", Strings(Build(new ContainerSpec { Name = "web", Tty = true })["process"]!["env"])[0]);
    }

    [Fact]
    public void A_host_network_container_keeps_the_nodes_uts_namespace_and_hostname_and_gets_it_in_HOSTNAME()
    {
        var config = Build(new ContainerSpec { Name = "web", HostNetwork = true, Hostname = "node-7" }, Pod with { NetworkNamespacePath = null });

        Assert.False(config.ContainsKey("hostname"));
        Assert.DoesNotContain(config["linux"]!["namespaces"]!.AsArray(), n => n!["type"]!.GetValue<string>() == "uts");
        Assert.Contains("HOSTNAME=node-7", Strings(config["process"]!["env"]));
    }

    [Fact]
    public void The_hostname_is_the_specs_when_it_gives_one()
    {
        var config = Build(new ContainerSpec { Name = "web", Hostname = "db-0.db.shop.svc.cluster.local" });

        Assert.Equal("db-0.db.shop.svc.cluster.local", config["hostname"]!.GetValue<string>());
        Assert.Contains("HOSTNAME=db-0.db.shop.svc.cluster.local", Strings(config["process"]!["env"]));
    }

    [Fact]
    public void The_securityContext_user_runs_the_process_with_the_primary_group_first_among_the_extra_groups()
    {
        var config = Build(new ContainerSpec { Name = "web", User = new ContainerUser { RunAsUser = 1000, RunAsGroup = 3000, SupplementalGroups = [2000, 4000] } });

        Assert.Equal("1000:3000 3000,2000,4000", UserOf(config));
    }

    [Fact]
    public void Without_a_securityContext_user_the_images_numeric_user_and_group_apply()
    {
        Assert.Equal("1000:50 50", UserOf(Build(new ContainerSpec { Name = "web" }, image: Image with { User = "1000:50" })));
        Assert.Equal("1000:0 0", UserOf(Build(new ContainerSpec { Name = "web" }, image: Image with { User = "1000" })));
    }

    [Fact]
    public void A_named_image_user_runs_with_the_ids_of_the_images_passwd_and_group_files()
    {
        var users = UserDatabase.Parse("nginx:x:101:101::/:/sbin/nologin\n", "nginx:x:101:\nwww-data:x:82:nginx\n");

        Assert.Equal("101:101 101,82", UserOf(Build(new ContainerSpec { Name = "web" }, image: Image with { User = "nginx" }, users: users)));
    }

    [Fact]
    public void RunAsNonRoot_refuses_an_image_that_runs_as_root_with_kubelets_message()
    {
        var error = Assert.Throws<ContainerConfigException>(() => Build(new ContainerSpec { Name = "web", User = new ContainerUser { RunAsNonRoot = true } }));

        Assert.Equal("container has runAsNonRoot and image will run as root (pod: \"web-1_shop(0d7c9a3e)\", container: web)", error.Message);
    }

    [Fact]
    public void Capabilities_are_containerds_default_set_in_every_set_that_grants_them()
    {
        var capabilities = Build(new ContainerSpec { Name = "web" })["process"]!["capabilities"]!;

        foreach (var set in new[] { "bounding", "effective", "permitted" })
        {
            Assert.Equal(OciDefaults.Capabilities, Strings(capabilities[set]));
        }

        Assert.Contains("CAP_NET_BIND_SERVICE", OciDefaults.Capabilities);
        Assert.DoesNotContain("CAP_SYS_ADMIN", OciDefaults.Capabilities);
    }

    [Fact]
    public void The_container_joins_the_pods_network_namespace_and_gets_its_own_pid_ipc_uts_and_mount_namespaces()
    {
        var namespaces = Build(new ContainerSpec { Name = "web" })["linux"]!["namespaces"]!.AsArray();

        Assert.Equal(["pid", "ipc", "uts", "mount", "network"], namespaces.Select(n => n!["type"]!.GetValue<string>()));
        Assert.Equal("/var/run/netns/web-1", namespaces[4]!["path"]!.GetValue<string>());
    }

    [Fact]
    public void A_host_network_pod_has_no_network_namespace_of_its_own()
    {
        var namespaces = Build(new ContainerSpec { Name = "web" }, Pod with { NetworkNamespacePath = null })["linux"]!["namespaces"]!.AsArray();

        Assert.DoesNotContain(namespaces, n => n!["type"]!.GetValue<string>() == "network");
    }

    [Fact]
    public void Limits_become_runc_resources_below_the_pod_cgroup_with_swap_equal_to_memory()
    {
        var linux = Build(new ContainerSpec { Name = "web", Limits = new CgroupLimits(250, 500, 128 << 20, 64) })["linux"]!;

        Assert.Equal("/gantry/pods/0d7c9a3e/c1", linux["cgroupsPath"]!.GetValue<string>());
        var resources = linux["resources"]!;
        Assert.Equal((256L, 50_000L, 100_000L), (resources["cpu"]!["shares"]!.GetValue<long>(), resources["cpu"]!["quota"]!.GetValue<long>(), resources["cpu"]!["period"]!.GetValue<long>()));
        Assert.Equal((128L << 20, 128L << 20), (resources["memory"]!["limit"]!.GetValue<long>(), resources["memory"]!["swap"]!.GetValue<long>()));
        Assert.Equal(64, resources["pids"]!["limit"]!.GetValue<long>());
        Assert.False(resources["devices"]![0]!["allow"]!.GetValue<bool>());
    }

    [Fact]
    public void Without_limits_there_is_no_quota_memory_or_pids_section()
    {
        var resources = Build(new ContainerSpec { Name = "web" })["linux"]!["resources"]!.AsObject();

        Assert.False(resources["cpu"]!.AsObject().ContainsKey("quota"));
        Assert.False(resources.ContainsKey("memory"));
        Assert.False(resources.ContainsKey("pids"));
    }

    [Fact]
    public void Mounts_are_the_standard_filesystems_followed_by_the_pods_binds_read_only_where_asked()
    {
        var mounts = Build(new ContainerSpec
        {
            Name = "web",
            Mounts = [new ContainerMount("/var/lib/gantry/pods/x/volumes/cfg", "/etc/app", ReadOnly: true), new ContainerMount("/data", "/data", ReadOnly: false)],
        })["mounts"]!.AsArray();

        Assert.Equal(["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/etc/app", "/data"], mounts.Select(m => m!["destination"]!.GetValue<string>()));
        Assert.Equal(("bind", "/var/lib/gantry/pods/x/volumes/cfg"), (mounts[7]!["type"]!.GetValue<string>(), mounts[7]!["source"]!.GetValue<string>()));
        Assert.Equal(["rbind", "rprivate", "ro"], Strings(mounts[7]!["options"]));
        Assert.Equal(["rbind", "rprivate"], Strings(mounts[8]!["options"]));
        Assert.Equal(["nosuid", "noexec", "nodev", "ro"], Strings(mounts[5]!["options"]));
    }

    [Fact]
    public void Sensitive_proc_and_sys_paths_are_masked_or_read_only()
    {
        var linux = Build(new ContainerSpec { Name = "web" })["linux"]!;

        Assert.Contains("/proc/kcore", Strings(linux["maskedPaths"]));
        Assert.Contains("/proc/sysrq-trigger", Strings(linux["readonlyPaths"]));
    }

    [Fact]
    public void A_container_with_a_target_joins_the_targets_pid_namespace()
    {
        var config = OciConfigBuilder.Build(Pod, new ContainerSpec { Name = "debugger" }, Image, UserDatabase.Empty, "/gantry/pods/0d7c9a3e/c2", "/proc/4242/ns/pid");

        var pid = config["linux"]!["namespaces"]!.AsArray().Single(n => (string?)n!["type"] == "pid")!;
        Assert.Equal("/proc/4242/ns/pid", (string?)pid["path"]);
    }

    [Fact]
    public void A_container_without_a_target_gets_a_pid_namespace_of_its_own()
    {
        var pid = Build(new ContainerSpec { Name = "web" })["linux"]!["namespaces"]!.AsArray().Single(n => (string?)n!["type"] == "pid")!;

        Assert.Null(pid["path"]);
    }
}
