using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Processes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ProcessCommandLineTests
{
    private static readonly HostTools Tools = new("/bin/sh", "/usr/bin/env", "/usr/bin/nsenter", "/usr/bin/setpriv");

    private static readonly ProcessUser Root = new(0, 0, [0]);
    private static readonly string[] Membership = ["/cg/memory/x/cgroup.procs", "/cg/pids/x/cgroup.procs"];

    private static readonly PodSandboxInfo Pod = new() { Uid = "u-1", Name = "web-1", Namespace = "shop", NetworkNamespacePath = "/var/run/netns/p" };

    private static readonly PodSandboxInfo HostNetworkPod = Pod with { NetworkNamespacePath = null };

    private static int IndexOf(IReadOnlyList<string> argv, string word) => argv.ToList().IndexOf(word);

    [Fact]
    public void The_confinement_counts_its_cgroups_environment_and_mounts_so_that_any_word_may_appear_in_them()
    {
        var confinement = ProcessCommandLine.Confinement(Membership, Pod, "/state/ready", new ContainerSpec
        {
            Name = "c",
            Command = ["server"],
            Env = [new EnvVar("A", "--")],
            WorkingDir = "/srv",
            Mounts = [new ContainerMount("/host/cfg", "/etc/app", ReadOnly: true), new ContainerMount("/host/data", "/data", ReadOnly: false)],
        });

        Assert.Equal(
            [
                "--confine", "/state/ready", "/var/run/netns/p", "", "/srv", "web-1",
                "", "", "0",
                "2", .. Membership,
                "3", ContainerEnvironment.DefaultPath, "A=--", "HOSTNAME=web-1",
                "2", "/host/cfg", "/etc/app", "ro", "/host/data", "/data", "rw",
            ],
            confinement);
    }

    [Fact]
    public void A_host_network_container_names_no_network_namespace_nor_hostname_and_starts_in_the_root_directory()
    {
        var confinement = ProcessCommandLine.Confinement(Membership, HostNetworkPod, "/r", new ContainerSpec { Name = "c", Command = ["true"], HostNetwork = true, Hostname = "node-7" });

        Assert.Equal(["--confine", "/r", "", "", "/", ""], confinement.Take(6));
        Assert.Contains("HOSTNAME=node-7", confinement);
    }

    [Fact]
    public void The_container_gets_a_uts_namespace_named_by_its_hostname()
    {
        var confinement = ProcessCommandLine.Confinement(Membership, Pod, "/r", new ContainerSpec { Name = "c", Command = ["true"], Hostname = "db-0" });

        Assert.Equal("db-0", confinement[5]);
    }

    [Fact]
    public void A_container_sharing_another_ones_processes_names_that_PID_namespace()
    {
        var confinement = ProcessCommandLine.Confinement(Membership, Pod, "/r", new ContainerSpec { Name = "dbg", Command = ["ps"] }, "/proc/42/ns/pid");

        Assert.Equal(["/var/run/netns/p", "/proc/42/ns/pid"], confinement.Skip(2).Take(2));
    }

    [Fact]
    public void The_securityContext_user_is_passed_as_uid_gid_and_counted_groups()
    {
        var confinement = ProcessCommandLine.Confinement(Membership, Pod, "/r", new ContainerSpec
        {
            Name = "c",
            Command = ["true"],
            User = new ContainerUser { RunAsUser = 1000, SupplementalGroups = [2000] },
        });

        Assert.Equal(["1000", "0", "2", "0", "2000", "2"], confinement.Skip(6).Take(6));
    }

    [Fact]
    public void RunAsNonRoot_without_runAsUser_refuses_to_run_as_the_agents_root()
    {
        var container = new ContainerSpec { Name = "c", Command = ["true"], User = new ContainerUser { RunAsNonRoot = true } };

        Assert.Throws<Gantry.Agent.Pods.ContainerConfigException>(() => ProcessCommandLine.Confinement(Membership, Pod, "/r", container));
    }

    [Fact]
    public void The_command_is_command_followed_by_args() =>
        Assert.Equal(["server", "--port", "80"], ProcessCommandLine.CommandOf(new ContainerSpec { Name = "c", Command = ["server"], Args = ["--port", "80"] }));

    [Fact]
    public void Without_command_or_args_there_is_nothing_to_run() =>
        Assert.Throws<ArgumentException>(() => ProcessCommandLine.CommandOf(new ContainerSpec { Name = "c" }));

    [Fact]
    public void Exec_joins_the_cgroup_and_every_namespace_of_the_init_with_its_environment()
    {
        var argv = ProcessCommandLine.Exec(Tools, Membership, 4242, Root, ["PATH=/bin", "A=1"], ["ps"]);

        Assert.Equal(["/bin/sh", "-c"], argv.Take(2));
        Assert.Equal(
            ["/usr/bin/nsenter", "--target", "4242", "--pid", "--mount", "--uts", "--ipc", "--net", "--cgroup", "--wd", "--", "/usr/bin/env", "-i", "--default-signal", "PATH=/bin", "A=1", "ps"],
            argv.Skip(IndexOf(argv, "/usr/bin/nsenter")));
    }

    [Fact]
    public void Exec_into_a_container_that_runs_as_another_user_takes_its_ids_after_entering_the_namespaces()
    {
        var argv = ProcessCommandLine.Exec(Tools, Membership, 4242, new ProcessUser(1000, 3000, [2000, 3000]), ["PATH=/bin"], ["id"]);

        Assert.Equal(
            ["--", "/usr/bin/setpriv", "--reuid=1000", "--regid=3000", "--groups=2000,3000", "--", "/usr/bin/env"],
            argv.Skip(IndexOf(argv, "--wd") + 1).Take(7));
    }

    [Fact]
    public void Exec_as_a_user_with_no_supplementary_groups_clears_them()
    {
        var argv = ProcessCommandLine.Exec(Tools, Membership, 4242, new ProcessUser(1000, 0, []), ["PATH=/bin"], ["id"]);

        Assert.Contains("--clear-groups", argv);
    }
}
