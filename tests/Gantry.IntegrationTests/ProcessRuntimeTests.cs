using System.Diagnostics;
using System.Globalization;
using Gantry.Agent.Cgroups;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Processes;
using Xunit;

namespace Gantry.IntegrationTests;

public sealed class ProcessRuntimeTests : IAsyncLifetime
{
    private readonly RuntimeHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task A_command_that_exits_at_once_is_reported_with_its_own_exit_code_however_often_it_is_asked()
    {
        // Asked without pause, a status can fall between the shim writing the exit record and the shim exiting.
        // Started one after another (the harness tracks them in a plain list), each asked about from its start on.
        var polls = new List<Task<ContainerExited>>();
        for (var i = 0; i < 12; i++)
        {
            var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec { Name = $"quick-{i}", Command = ["sh", "-c", "exit 3"] });
            polls.Add(Task.Run(async () =>
            {
                while (true)
                {
                    _harness.Ct.ThrowIfCancellationRequested();
                    if (await _harness.Process.StatusAsync(handle, _harness.Ct) is ContainerExited exited)
                    {
                        return exited;
                    }
                }
            }));
        }

        var exits = await Task.WhenAll(polls);

        Assert.All(exits, exited => Assert.Equal((3, ExitReason.Error), (exited.ExitCode, exited.Reason)));
    }

    [Fact]
    public async Task Echo_writes_hello_to_its_log_file_and_exits_with_code_zero()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "hello",
            Command = ["echo", "hello"],
        });

        var exited = await _harness.WaitForExitAsync(_harness.Process, handle);

        Assert.Equal((0, ExitReason.Completed), (exited.ExitCode, exited.Reason));
        Assert.Equal("hello\n", RuntimeHarness.LogText(_harness.Process.LogPath(handle)));
    }

    [Fact]
    public async Task The_log_holds_each_line_as_a_CRI_record_with_its_stream_and_the_time_it_was_read()
    {
        var before = DateTimeOffset.UtcNow;
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "streams",
            Command = ["sh", "-c", "echo out; echo err >&2; printf 'no newline'"],
        });

        await _harness.WaitForExitAsync(_harness.Process, handle);

        var records = File.ReadAllLines(_harness.Process.LogPath(handle)).Select(line => line.Split(' ', 4)).ToList();
        Assert.Equal(["stderr F err", "stdout F no newline", "stdout F out"], records.Select(r => string.Join(' ', r[1..])).Order(StringComparer.Ordinal));
        Assert.All(records, r => Assert.InRange(DateTimeOffset.Parse(r[0][..27] + "Z", CultureInfo.InvariantCulture), before.AddSeconds(-1), DateTimeOffset.UtcNow));
        Assert.All(records, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", r[0]));
    }

    [Fact]
    public async Task A_user_other_than_root_may_reopen_its_own_output()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "reopen",
            Command = ["sh", "-c", "echo to-stdout > /dev/stdout; echo to-stderr > /dev/stderr"],
            User = new ContainerUser { RunAsUser = 1000, RunAsGroup = 3000 },
        });

        var exited = await _harness.WaitForExitAsync(_harness.Process, handle);

        Assert.Equal(0, exited.ExitCode);
        Assert.Equal("to-stdout\nto-stderr\n", RuntimeHarness.LogText(_harness.Process.LogPath(handle)));
    }

    [Fact]
    public async Task Exec_with_a_tty_runs_on_a_terminal_with_the_size_the_client_sets_and_TERM_xterm()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec { Name = "target", Command = ["sleep", "30"] });

        await using var session = await _harness.Process.ExecAsync(handle, new ExecRequest(["sh", "-c", "read go; tty; stty size; echo $TERM"], Tty: true), _harness.Ct);
        var output = await RuntimeHarness.TerminalOutputAfterResizeAsync(session, _harness.Ct);

        Assert.Contains("/dev/pts/", output, StringComparison.Ordinal);
        Assert.Contains("30 100", output, StringComparison.Ordinal);
        Assert.Contains("xterm", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_workload_runs_as_the_securityContexts_user_and_groups_under_the_pods_hostname()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "who",
            Command = ["sh", "-c", "id -u; id -g; id -G; hostname; echo $HOSTNAME"],
            User = new ContainerUser { RunAsUser = 1000, RunAsGroup = 3000, SupplementalGroups = [2000] },
            Hostname = "db-0",
        });

        var exited = await _harness.WaitForExitAsync(_harness.Process, handle);

        Assert.Equal(0, exited.ExitCode);
        Assert.Equal("1000\n3000\n3000 2000\ndb-0\ndb-0\n", RuntimeHarness.LogText(_harness.Process.LogPath(handle)));
    }

    [Fact]
    public async Task Exec_runs_as_the_workloads_user_and_groups()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "who",
            Command = ["sleep", "30"],
            User = new ContainerUser { RunAsUser = 1000, RunAsGroup = 3000, SupplementalGroups = [2000] },
        });

        await using var session = await _harness.Process.ExecAsync(handle, new ExecRequest(["sh", "-c", "id -u; id -g; id -G"]), _harness.Ct);
        session.Stdin.Close();
        var output = await new StreamReader(session.Stdout).ReadToEndAsync(_harness.Ct);

        Assert.Equal(0, await session.WaitForExitAsync(_harness.Ct));
        Assert.Equal("1000\n3000\n3000 2000\n", output);
    }

    [Fact]
    public async Task A_host_network_workload_keeps_the_nodes_hostname()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "where",
            Command = ["hostname"],
            HostNetwork = true,
            Hostname = System.Net.Dns.GetHostName(),
        });

        await _harness.WaitForExitAsync(_harness.Process, handle);

        Assert.Equal(System.Net.Dns.GetHostName() + "\n", RuntimeHarness.LogText(_harness.Process.LogPath(handle)));
    }

    [Fact]
    public async Task Watching_a_running_container_reports_its_exit_when_the_workload_ends()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "short",
            Command = ["sleep", "0.5"],
        });
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using var watch = _harness.Process.WatchExit(handle, () => exited.TrySetResult());

        await exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<ContainerExited>(await _harness.Process.StatusAsync(handle, CancellationToken.None));
    }

    [Fact]
    public async Task The_workload_is_init_of_its_own_pid_namespace_inside_the_pods_network_namespace()
    {
        var netns = "gantry-it-" + Guid.NewGuid().ToString("N")[..8];
        await RunAsync("ip", "netns", "add", netns);
        try
        {
            var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(networkNamespace: $"/var/run/netns/{netns}"), new ContainerSpec
            {
                Name = "where",
                Command = ["sh", "-c", "echo pid=$$; readlink /proc/self/ns/net"],
            });

            await _harness.WaitForExitAsync(_harness.Process, handle);

            var inode = (await RunAsync("stat", "-L", "-c", "%i", $"/var/run/netns/{netns}")).Trim();
            var log = RuntimeHarness.LogText(_harness.Process.LogPath(handle));
            Assert.StartsWith("pid=1\n", log, StringComparison.Ordinal);
            Assert.Contains($"net:[{inode}]", log, StringComparison.Ordinal);
        }
        finally
        {
            await RunAsync("ip", "netns", "delete", netns);
        }
    }

    [Fact]
    public async Task A_read_only_mount_is_readable_and_refuses_writes_and_a_writable_one_takes_them()
    {
        // Process pods see the host's file system: mount points are host directories, shadowed only inside the pod.
        var source = Directory.CreateTempSubdirectory("gantry-it-mount-");
        var writable = Directory.CreateTempSubdirectory("gantry-it-mount-");
        var target = Directory.CreateTempSubdirectory("gantry-it-mount-");
        var ro = Directory.CreateDirectory(Path.Combine(target.FullName, "ro")).FullName;
        var rw = Directory.CreateDirectory(Path.Combine(target.FullName, "rw")).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(source.FullName, "config"), "from-the-host\n");
            var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
            {
                Name = "mounts",
                Command = ["sh", "-c", $"cat {ro}/config; if echo x > {ro}/config; then echo ro-written; else echo ro-refused; fi; echo y > {rw}/out && echo rw-written"],
                Mounts = [new ContainerMount(source.FullName, ro, ReadOnly: true), new ContainerMount(writable.FullName, rw, ReadOnly: false)],
            });

            await _harness.WaitForExitAsync(_harness.Process, handle);

            var log = RuntimeHarness.LogText(_harness.Process.LogPath(handle));
            Assert.Equal(["from-the-host", "ro-refused", "rw-written"], log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("sh:", StringComparison.Ordinal)));
            Assert.Equal("from-the-host\n", await File.ReadAllTextAsync(Path.Combine(source.FullName, "config")));
            Assert.Equal("y\n", await File.ReadAllTextAsync(Path.Combine(writable.FullName, "out")));
        }
        finally
        {
            source.Delete(recursive: true);
            writable.Delete(recursive: true);
            target.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_working_directory_is_entered_after_the_mounts_so_it_may_lie_in_a_volume()
    {
        var volume = Directory.CreateTempSubdirectory("gantry-it-mount-");
        var target = Directory.CreateTempSubdirectory("gantry-it-mount-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(volume.FullName, "in-the-volume"), "");
            var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
            {
                Name = "workdir",
                Command = ["ls"],
                WorkingDir = target.FullName,
                Mounts = [new ContainerMount(volume.FullName, target.FullName, ReadOnly: true)],
            });

            await _harness.WaitForExitAsync(_harness.Process, handle);

            Assert.Equal("in-the-volume\n", RuntimeHarness.LogText(_harness.Process.LogPath(handle)));
        }
        finally
        {
            volume.Delete(recursive: true);
            target.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_command_that_is_not_found_is_a_start_error_with_exit_code_127_and_says_so_in_the_log()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "missing",
            Command = ["no-such-command-anywhere"],
        });

        var exited = await _harness.WaitForExitAsync(_harness.Process, handle);

        // As the kubelet reports a container whose command the runtime could not exec: StartError, not Error.
        Assert.Equal((127, ExitReason.StartError), (exited.ExitCode, exited.Reason));
        Assert.Contains("exec no-such-command-anywhere: No such file or directory", RuntimeHarness.LogText(_harness.Process.LogPath(handle)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_over_its_memory_limit_is_reported_OOMKilled()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "hog",
            // tail keeps the last lines it has read; /dev/zero has no line ends, so it keeps everything.
            Command = ["tail", "/dev/zero"],
            Limits = new CgroupLimits(MemoryLimitBytes: 32 << 20),
        });

        var exited = await _harness.WaitForExitAsync(_harness.Process, handle);

        Assert.Equal((137, ExitReason.OOMKilled), (exited.ExitCode, exited.Reason));
    }

    [Fact]
    public async Task A_fork_bomb_is_held_at_the_pids_limit()
    {
        const int limit = 24;
        var pod = _harness.NewPod();
        var handle = await _harness.StartAsync(_harness.Process, pod, new ContainerSpec
        {
            Name = "bomb",
            // The classic bomb, each generation waiting for the next so that none of it exits before
            // the limit is reached; dash gives up when it cannot fork, so it burns out by itself.
            // The CPU limit keeps the machine's other users unbothered meanwhile.
            Command = ["sh", "-c", "bomb() { bomb | bomb & wait; }; bomb"],
            Limits = new CgroupLimits(CpuLimitMillicores: 300, PidsLimit: limit),
        });
        var pids = _harness.Cgroups.Open(_harness.Cgroups.ContainerPath(pod.Uid, handle.Id)).DirectoryOf("pids")!;
        while (ReadCounter(Path.Combine(pids, "pids.events"), "max") == 0)
        {
            await Task.Delay(10, _harness.Ct);
        }

        await _harness.Process.StopAsync(handle, TimeSpan.Zero, _harness.Ct);

        Assert.InRange(int.Parse(File.ReadAllText(Path.Combine(pids, "pids.peak")), CultureInfo.InvariantCulture), 2, limit);
        Assert.Equal("0", File.ReadAllText(Path.Combine(pids, "pids.current")).Trim());
        Assert.Contains("Cannot fork", RuntimeHarness.LogText(_harness.Process.LogPath(handle)), StringComparison.Ordinal);
        Assert.IsType<ContainerExited>(await _harness.Process.StatusAsync(handle, _harness.Ct));
    }

    [Fact]
    public async Task Stopping_and_removing_a_container_that_was_already_removed_are_no_ops()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec { Name = "gone", Command = ["sleep", "3600"] });
        await _harness.Process.RemoveAsync(handle, _harness.Ct);

        // A pod teardown retried after a later step failed stops and removes the same containers again.
        await _harness.Process.StopAsync(handle, TimeSpan.FromSeconds(1), _harness.Ct);
        await _harness.Process.RemoveAsync(handle, _harness.Ct);
    }

    [Fact]
    public async Task Stop_sends_SIGTERM_and_after_the_grace_period_SIGKILL()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "stubborn",
            Command = ["sh", "-c", "trap 'echo got TERM' TERM; echo ready; while :; do sleep 0.05; done"],
        });
        await _harness.WaitForLogAsync(_harness.Process, handle, "ready");

        var stopwatch = Stopwatch.StartNew();
        await _harness.Process.StopAsync(handle, TimeSpan.FromSeconds(1), _harness.Ct);
        var elapsed = stopwatch.Elapsed;

        var exited = Assert.IsType<ContainerExited>(await _harness.Process.StatusAsync(handle, _harness.Ct));
        Assert.Equal((137, ExitReason.Error), (exited.ExitCode, exited.Reason));
        Assert.Contains("got TERM", RuntimeHarness.LogText(_harness.Process.LogPath(handle)), StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_workload_that_handles_SIGTERM_exits_within_the_grace_period_with_its_own_code()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "polite",
            Command = ["sh", "-c", "trap 'exit 3' TERM; echo ready; while :; do sleep 0.05; done"],
        });
        await _harness.WaitForLogAsync(_harness.Process, handle, "ready");

        var stopwatch = Stopwatch.StartNew();
        await _harness.Process.StopAsync(handle, TimeSpan.FromSeconds(10), _harness.Ct);

        var exited = Assert.IsType<ContainerExited>(await _harness.Process.StatusAsync(handle, _harness.Ct));
        Assert.Equal((3, ExitReason.Error), (exited.ExitCode, exited.Reason));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_checkpointed_process_is_adopted_by_a_fresh_runtime_still_running_under_the_same_pid()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "sleeper",
            Command = ["sleep", "30"],
        });
        var before = Assert.IsType<ContainerRunning>(await _harness.Process.StatusAsync(handle, _harness.Ct));

        var fresh = new ProcessRuntime(_harness.Options, new PodSandboxes(new CgroupManager(CgroupHierarchies.Detect(), "gantry-it/pods")));
        var adopted = await fresh.AdoptAsync(_harness.Ct);

        Assert.Equal(handle, Assert.Single(adopted));
        Assert.Equal(before, await fresh.StatusAsync(adopted[0], _harness.Ct));
        Assert.DoesNotContain(Environment.ProcessId, Ancestors(before.Pid));
        await fresh.StopAsync(adopted[0], TimeSpan.Zero, _harness.Ct);
        Assert.Equal(137, Assert.IsType<ContainerExited>(await fresh.StatusAsync(adopted[0], _harness.Ct)).ExitCode);
    }

    [Fact]
    public async Task Exec_runs_in_the_containers_namespaces_and_returns_output_and_exit_code()
    {
        var handle = await _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec
        {
            Name = "target",
            Command = ["sleep", "30"],
            Env = [new EnvVar("GREETING", "hi from env")],
        });

        await using var session = await _harness.Process.ExecAsync(handle, new ExecRequest(["sh", "-c", "echo \"$GREETING\"; ps -o pid,comm | grep -c sleep; exit 7"]), _harness.Ct);
        session.Stdin.Close();
        var output = await new StreamReader(session.Stdout).ReadToEndAsync(_harness.Ct);
        var code = await session.WaitForExitAsync(_harness.Ct);

        Assert.Equal(7, code);
        Assert.Equal("hi from env\n1\n", output);
    }

    [Fact]
    public async Task Exec_of_a_command_the_container_lacks_fails_to_start_with_runcs_reason_in_containerds_words()
    {
        var handle = await StartExecTargetAsync();

        var failure = await Assert.ThrowsAsync<IOException>(() => _harness.Process.ExecAsync(handle, new ExecRequest(["no-such-command"]), _harness.Ct));

        Assert.StartsWith("failed to exec in container: failed to start exec \"", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"no-such-command\": executable file not found in $PATH: unknown",
            failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_of_a_file_without_execute_permission_fails_to_start_as_permission_denied()
    {
        var handle = await StartExecTargetAsync();
        var notes = Path.Combine(Directory.CreateTempSubdirectory("gantry-exec-").FullName, "notes");
        await File.WriteAllTextAsync(notes, "echo never\n", _harness.Ct);
        File.SetUnixFileMode(notes, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var failure = await Assert.ThrowsAsync<IOException>(() => _harness.Process.ExecAsync(handle, new ExecRequest([notes]), _harness.Ct));

        Directory.Delete(Path.GetDirectoryName(notes)!, recursive: true);
        Assert.EndsWith(
            $"OCI runtime exec failed: exec failed: unable to start container process: exec: \"{notes}\": permission denied: unknown",
            failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_of_a_command_that_exits_127_itself_is_the_commands_exit_not_a_failure_to_start()
    {
        var handle = await StartExecTargetAsync();

        await using var session = await _harness.Process.ExecAsync(handle, new ExecRequest(["sh", "-c", "echo out; exit 127"]), _harness.Ct);
        session.Stdin.Close();
        var stdout = await new StreamReader(session.Stdout).ReadToEndAsync(_harness.Ct);

        Assert.Equal(127, await session.WaitForExitAsync(_harness.Ct));
        Assert.Equal("out\n", stdout);
    }

    private Task<ContainerHandle> StartExecTargetAsync() =>
        _harness.StartAsync(_harness.Process, _harness.NewPod(), new ContainerSpec { Name = "target", Command = ["sleep", "30"] });

    private static IEnumerable<int> Ancestors(int pid)
    {
        for (var current = pid; current > 1;)
        {
            var stat = File.ReadAllText($"/proc/{current}/stat");
            current = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            yield return current;
        }
    }

    private static long ReadCounter(string file, string name) =>
        File.ReadAllLines(file).Select(l => l.Split(' ')).Where(p => p[0] == name).Select(p => long.Parse(p[1], CultureInfo.InvariantCulture)).FirstOrDefault();

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }
}
