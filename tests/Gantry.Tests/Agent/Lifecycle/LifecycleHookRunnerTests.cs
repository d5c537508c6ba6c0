using Gantry.Agent.Lifecycle;
using Gantry.Tests.Agent.Probes;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Agent.Lifecycle;

public sealed class LifecycleHookRunnerTests
{
    private static readonly V1Pod Pod = new() { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "team", Uid = "u1" } };

    private static readonly V1Container Container = new() { Name = "app" };

    private readonly FakeContainerRuntime _runtime = new();
    private readonly ManualClock _clock = new();

    private Task<string?> RunAsync(V1LifecycleHandler handler, CancellationToken cancellationToken = default) =>
        new LifecycleHookRunner(_runtime, _clock).RunAsync(Pod, Container, FakeContainerRuntime.Handle, "127.0.0.1", handler, cancellationToken);

    private static V1LifecycleHandler Exec(params string[] command) => new() { Exec = new V1ExecAction { Command = command } };

    [Fact]
    public async Task An_exec_hook_runs_its_command_in_the_container_and_succeeds_on_exit_0()
    {
        var failure = await RunAsync(Exec("/bin/sh", "-c", "nginx -s quit"));

        Assert.Null(failure);
        Assert.Equal(["exec /bin/sh -c nginx -s quit"], _runtime.Calls);
    }

    [Fact]
    public async Task An_exec_hook_exiting_non_zero_fails_with_kubelets_message_and_the_commands_output()
    {
        _runtime.ExecExitCode = 1;
        _runtime.ExecOutput = "no such file";

        var failure = await RunAsync(Exec("/hook"));

        Assert.Equal("Exec lifecycle hook ([/hook]) for Container \"app\" in Pod \"web_team(u1)\" failed - error: command '/hook' failed, message: \"no such file\"", failure);
    }

    [Fact]
    public async Task An_exec_hook_the_container_refuses_fails_with_the_runtimes_error()
    {
        _runtime.ExecRefusal = "container is not running";

        var failure = await RunAsync(Exec("/hook"));

        Assert.Equal("Exec lifecycle hook ([/hook]) for Container \"app\" in Pod \"web_team(u1)\" failed - error: container is not running, message: \"\"", failure);
    }

    [Fact]
    public async Task An_http_hook_succeeds_on_any_response_even_an_error_status_as_kubelets_does()
    {
        string? userAgent = null;
        await using var server = await LocalServer.StartAsync(context =>
        {
            userAgent = context.Request.Headers.UserAgent;
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });

        var failure = await RunAsync(new V1LifecycleHandler { HttpGet = new V1HTTPGetAction { Path = "/shutdown", Port = server.Port } });

        Assert.Null(failure);
        Assert.StartsWith("kube-lifecycle/", userAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_hook_that_gets_no_response_fails_naming_its_path()
    {
        var failure = await RunAsync(new V1LifecycleHandler { HttpGet = new V1HTTPGetAction { Path = "/shutdown", Port = "admin" } });

        Assert.Equal("HTTP lifecycle hook (/shutdown) for Container \"app\" in Pod \"web_team(u1)\" failed - error: port \"admin\" not found", failure);
    }

    [Fact]
    public async Task A_sleep_hook_succeeds_once_its_seconds_have_passed()
    {
        var hook = RunAsync(new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = 5 } });
        Assert.False(hook.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Null(await hook);
    }

    [Fact]
    public async Task A_sleep_hook_cut_short_fails_as_terminated_before_it_finished()
    {
        using var stop = new CancellationTokenSource();
        var hook = RunAsync(new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = 5 } }, stop.Token);

        await stop.CancelAsync();

        Assert.Equal("Sleep lifecycle hook (5) for Container \"app\" in Pod \"web_team(u1)\" failed - error: container terminated before sleep hook finished", await hook);
    }

    [Fact]
    public async Task A_hook_naming_no_action_cannot_be_run()
    {
        Assert.Equal("Cannot run handler: invalid handler", await RunAsync(new V1LifecycleHandler()));
    }
}
