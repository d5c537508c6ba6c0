using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Processes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ProcessCommandLineTests
{
    private static readonly HostTools Tools = new("/bin/sh", "/usr/bin/env", "/usr/bin/nsenter", "/usr/bin/unshare", "/usr/bin/mount");
    private static readonly string[] Membership = ["/cg/memory/x/cgroup.procs", "/cg/pids/x/cgroup.procs"];

    private static int IndexOf(IReadOnlyList<string> argv, string word) => argv.ToList().IndexOf(word);

    [Fact]
    public void The_chain_sets_environment_then_cgroups_then_network_then_namespaces_and_ends_in_the_command()
    {
        var argv = ProcessCommandLine.Workload(Tools, Membership, "/var/run/netns/p", "/state/ready", new ContainerSpec
        {
            Name = "c",
            Command = ["server"],
            Args = ["--port", "80"],
            Env = [new EnvVar("A", "1")],
            WorkingDir = "/srv",
        });

        Assert.Equal(["/usr/bin/env", "-i", "--default-signal", "--chdir=/srv", ContainerEnvironment.DefaultPath, "A=1", "/bin/sh", "-c"], argv.Take(8));
        Assert.True(IndexOf(argv, Membership[0]) < IndexOf(argv, "--net=/var/run/netns/p"));
        Assert.True(IndexOf(argv, "--net=/var/run/netns/p") < IndexOf(argv, "/usr/bin/unshare"));
        Assert.Equal(["--pid", "--mount", "--ipc", "--uts", "--cgroup"], argv.Skip(IndexOf(argv, "/usr/bin/unshare") + 1).Take(5));
        Assert.Equal(["/usr/bin/mount", "/state/ready", "--", "server", "--port", "80"], argv.TakeLast(6));
    }

    [Fact]
    public void A_host_network_container_enters_no_network_namespace() =>
        Assert.DoesNotContain("/usr/bin/nsenter", ProcessCommandLine.Workload(Tools, Membership, null, "/r", new ContainerSpec { Name = "c", Command = ["true"] }));

    [Fact]
    public void Bind_mounts_travel_as_host_container_mode_triples_before_the_command()
    {
        var argv = ProcessCommandLine.Workload(Tools, Membership, null, "/r", new ContainerSpec
        {
            Name = "c",
            Command = ["true"],
            Mounts = [new ContainerMount("/host/cfg", "/etc/app", ReadOnly: true)],
        });

        Assert.Equal(["/r", "/host/cfg", "/etc/app", "ro", "--", "true"], argv.TakeLast(6));
    }

    [Fact]
    public void Without_command_or_args_there_is_nothing_to_run() =>
        Assert.Throws<ArgumentException>(() => ProcessCommandLine.Workload(Tools, Membership, null, "/r", new ContainerSpec { Name = "c" }));

    [Fact]
    public void Exec_joins_the_cgroup_and_every_namespace_of_the_init_with_its_environment()
    {
        var argv = ProcessCommandLine.Exec(Tools, Membership, 4242, ["PATH=/bin", "A=1"], ["ps"]);

        Assert.Equal(["/bin/sh", "-c"], argv.Take(2));
        Assert.Equal(
            ["/usr/bin/nsenter", "--target", "4242", "--pid", "--mount", "--uts", "--ipc", "--net", "--cgroup", "--wd", "--", "/usr/bin/env", "-i", "--default-signal", "PATH=/bin", "A=1", "ps"],
            argv.Skip(IndexOf(argv, "/usr/bin/nsenter")));
    }
}
