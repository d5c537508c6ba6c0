using System.Diagnostics;
using Gantry.Agent.Cgroups;
using Gantry.Agent.Images;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Oci;
using Xunit;

namespace Gantry.IntegrationTests;

public sealed class OciRuntimeTests : IAsyncLifetime
{
    private readonly RuntimeHarness _harness = new();

    /// <summary>A busybox container that sleeps, for commands to be run in.</summary>
    private Task<ContainerHandle> StartExecTargetAsync() =>
        _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec { Name = "target", Image = "busybox", Command = ["sleep", "30"] });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task A_busybox_container_runs_with_runc_under_its_limits_and_prints_to_its_log()
    {
        var pod = _harness.NewPod(new CgroupLimits(MemoryLimitBytes: 128 << 20, PidsLimit: 64));
        var handle = await _harness.StartAsync(_harness.Oci, pod, new ContainerSpec
        {
            Name = "hello",
            Image = "busybox",
            Command = ["sh", "-c"],
            Args = ["echo hello from $(hostname) as $(id -u) in $PWD; cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max"],
            WorkingDir = "/tmp",
            Limits = new CgroupLimits(MemoryLimitBytes: 64 << 20, PidsLimit: 32),
        });

        var exited = await _harness.WaitForExitAsync(_harness.Oci, handle);

        Assert.Equal((0, ExitReason.Completed), (exited.ExitCode, exited.Reason));
        Assert.Equal($"hello from {pod.Name} as 0 in /tmp\n{64 << 20}\n32\n", RuntimeHarness.LogText(_harness.Oci.LogPath(handle)));
        // The built-in busybox was imported here, not pulled: containerd would name it by its own id.
        Assert.Matches("^sha256:[0-9a-f]{64}$", handle.ImageRef);
    }

    [Fact]
    public async Task A_container_runs_as_the_securityContexts_user_with_the_primary_group_first()
    {
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec
        {
            Name = "who",
            Image = "busybox",
            Command = ["sh", "-c", "id -u; id -g; id -G"],
            User = new ContainerUser { RunAsUser = 1000, RunAsGroup = 3000, SupplementalGroups = [2000] },
        });

        var exited = await _harness.WaitForExitAsync(_harness.Oci, handle);

        Assert.Equal(0, exited.ExitCode);
        Assert.Equal("1000\n3000\n3000 2000\n", RuntimeHarness.LogText(_harness.Oci.LogPath(handle)));
    }

    [Fact]
    public async Task A_host_network_container_sees_the_nodes_hostname()
    {
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec
        {
            Name = "where",
            Image = "busybox",
            Command = ["sh", "-c", "hostname; echo $HOSTNAME"],
            HostNetwork = true,
            Hostname = System.Net.Dns.GetHostName(),
        });

        await _harness.WaitForExitAsync(_harness.Oci, handle);

        var node = System.Net.Dns.GetHostName();
        Assert.Equal($"{node}\n{node}\n", RuntimeHarness.LogText(_harness.Oci.LogPath(handle)));
    }

    [Fact]
    public async Task Stopping_and_removing_a_container_that_was_already_removed_are_no_ops()
    {
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec { Name = "gone", Image = "busybox", Command = ["sleep", "3600"] });
        await _harness.Oci.RemoveAsync(handle, _harness.Ct);

        // A pod teardown retried after a later step failed stops and removes the same containers again.
        await _harness.Oci.StopAsync(handle, TimeSpan.FromSeconds(1), _harness.Ct);
        await _harness.Oci.RemoveAsync(handle, _harness.Ct);
    }

    [Fact]
    public async Task Exec_into_a_running_busybox_container_returns_its_output_and_exit_code()
    {
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec
        {
            Name = "target",
            Image = "busybox",
            Command = ["sleep", "30"],
            Env = [new EnvVar("GREETING", "hi")],
        });

        await using var session = await _harness.Oci.ExecAsync(handle, new ExecRequest(["sh", "-c", "echo $GREETING from $(cat /proc/1/comm); cat; echo oops >&2; exit 3"]), _harness.Ct);
        await session.Stdin.WriteAsync("piped\n"u8.ToArray(), _harness.Ct);
        session.Stdin.Close();
        var stdout = new StreamReader(session.Stdout).ReadToEndAsync(_harness.Ct);
        var stderr = new StreamReader(session.Stderr).ReadToEndAsync(_harness.Ct);
        var code = await session.WaitForExitAsync(_harness.Ct);

        Assert.Equal(3, code);
        Assert.Equal("hi from sleep\npiped\n", await stdout);
        Assert.Equal("oops\n", await stderr);
    }

    [Fact]
    public async Task Exec_with_a_tty_runs_the_command_on_a_terminal_inside_the_container()
    {
        var handle = await StartExecTargetAsync();

        await using var session = await _harness.Oci.ExecAsync(handle, new ExecRequest(["sh", "-c", "tty; exit 4"], Tty: true), _harness.Ct);
        var output = await new StreamReader(session.Stdout).ReadToEndAsync(_harness.Ct);

        Assert.Equal(4, await session.WaitForExitAsync(_harness.Ct));
        Assert.StartsWith("/dev/pts/", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_with_a_tty_follows_the_size_the_client_sets_and_has_TERM_xterm()
    {
        var handle = await StartExecTargetAsync();

        // runc passes a resize on when its SIGWINCH handler runs, which the input written after it can overtake: the
        // command looks for the size for up to 2 s, as a shell's next prompt would. Until then the terminal is 0 by 0,
        // which stty prints as a size like any other.
        await using var session = await _harness.Oci.ExecAsync(handle, new ExecRequest(
            ["sh", "-c", "read go; for i in $(seq 40); do s=$(stty size 2>/dev/null); [ \"$s\" = '30 100' ] && break; sleep 0.05; done; echo \"$s\"; echo $TERM"],
            Tty: true), _harness.Ct);
        var output = await RuntimeHarness.TerminalOutputAfterResizeAsync(session, _harness.Ct);

        Assert.Contains("30 100", output, StringComparison.Ordinal);
        Assert.Contains("xterm", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_with_a_tty_starts_the_command_at_the_size_the_request_carries()
    {
        var handle = await StartExecTargetAsync();

        await using var session = await _harness.Oci.ExecAsync(handle, new ExecRequest(["stty", "size"], Tty: true, Columns: 123, Rows: 45), _harness.Ct);
        var output = await new StreamReader(session.Stdout).ReadToEndAsync(_harness.Ct);

        Assert.Equal(0, await session.WaitForExitAsync(_harness.Ct));
        Assert.Equal("45 123", output.Trim());
    }

    [Fact]
    public async Task Exec_of_a_command_the_container_lacks_fails_to_start_with_runcs_reason_in_containerds_words()
    {
        var handle = await StartExecTargetAsync();

        var failure = await Assert.ThrowsAsync<IOException>(() => _harness.Oci.ExecAsync(handle, new ExecRequest(["no-such-command"]), _harness.Ct));

        Assert.StartsWith("failed to exec in container: failed to start exec \"", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"no-such-command\": executable file not found in $PATH: unknown",
            failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_of_a_command_that_exits_255_is_the_commands_exit_not_a_failure_to_start()
    {
        var handle = await StartExecTargetAsync();

        await using var session = await _harness.Oci.ExecAsync(handle, new ExecRequest(["sh", "-c", "echo out; exit 255"]), _harness.Ct);
        var stdout = await new StreamReader(session.Stdout).ReadToEndAsync(_harness.Ct);

        Assert.Equal(255, await session.WaitForExitAsync(_harness.Ct));
        Assert.Equal("out\n", stdout);
    }

    [Fact]
    public async Task Stop_sends_SIGTERM_to_the_container_and_SIGKILL_after_the_grace_period()
    {
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec
        {
            Name = "stubborn",
            Image = "busybox",
            Command = ["sh", "-c", "trap 'echo got TERM' TERM; echo ready; while :; do sleep 0.05; done"],
        });
        await _harness.WaitForLogAsync(_harness.Oci, handle, "ready");

        var stopwatch = Stopwatch.StartNew();
        await _harness.Oci.StopAsync(handle, TimeSpan.FromSeconds(1), _harness.Ct);
        var elapsed = stopwatch.Elapsed;

        var exited = Assert.IsType<ContainerExited>(await _harness.Oci.StatusAsync(handle, _harness.Ct));
        Assert.Equal((137, ExitReason.Error), (exited.ExitCode, exited.Reason));
        Assert.Contains("got TERM", RuntimeHarness.LogText(_harness.Oci.LogPath(handle)), StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_container_over_its_memory_limit_is_reported_OOMKilled()
    {
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec
        {
            Name = "hog",
            Image = "busybox",
            Command = ["tail", "/dev/zero"],
            Limits = new CgroupLimits(MemoryLimitBytes: 32 << 20),
        });

        var exited = await _harness.WaitForExitAsync(_harness.Oci, handle);

        Assert.Equal((137, ExitReason.OOMKilled), (exited.ExitCode, exited.Reason));
    }

    [Fact]
    public async Task A_running_container_is_adopted_by_a_fresh_runtime_under_the_same_pid()
    {
        var handle = await _harness.StartAsync(_harness.Oci, _harness.NewPod(), new ContainerSpec
        {
            Name = "sleeper",
            Image = "busybox",
            Command = ["sleep", "30"],
        });
        var before = Assert.IsType<ContainerRunning>(await _harness.Oci.StatusAsync(handle, _harness.Ct));

        var fresh = new OciRuntime(_harness.Options, _harness.OciOptions, new PodSandboxes(_harness.Cgroups), _harness.Images);
        var adopted = await fresh.AdoptAsync(_harness.Ct);

        Assert.Equal(handle, Assert.Single(adopted));
        Assert.Equal(before, await fresh.StatusAsync(handle, _harness.Ct));
    }

    [Fact]
    public async Task RunAsNonRoot_with_a_root_image_is_a_configuration_error_that_leaves_nothing_behind()
    {
        var pod = _harness.NewPod();

        var error = await Assert.ThrowsAsync<Gantry.Agent.Pods.ContainerConfigException>(() =>
            _harness.Oci.StartAsync(pod, new ContainerSpec { Name = "x", Image = "busybox", Command = ["true"], User = new ContainerUser { RunAsNonRoot = true } }, _harness.Ct));

        Assert.StartsWith("container has runAsNonRoot and image will run as root", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _harness.Oci.AdoptAsync(_harness.Ct));
    }

    [Fact]
    public async Task An_image_that_is_not_on_the_node_fails_the_start_and_leaves_nothing_behind()
    {
        var pod = _harness.NewPod();

        var error = await Assert.ThrowsAsync<ImagePullException>(() =>
            _harness.Oci.StartAsync(pod, new ContainerSpec { Name = "x", Image = "nginx:1.27", ImagePullPolicy = "Never" }, _harness.Ct));

        Assert.Equal("ErrImageNeverPull", error.Reason);

        Assert.Empty(await _harness.Oci.AdoptAsync(_harness.Ct));
    }
}
