using Gantry.Agent.Probes;
using Xunit;

namespace Gantry.Tests.Agent.Probes;

public sealed class ProbeStateMachineTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProbeStateMachine Machine(ProbeKind kind, int initialDelay = 0, int successThreshold = 1, int failureThreshold = 3) =>
        new(kind, new ProbeSettings(initialDelay, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), successThreshold, failureThreshold));

    private static ProbeObservation Running(bool started = true) => new(Running: true, Exited: false, StartedAt: Start, Started: started);

    [Fact]
    public void Readiness_starts_failed_liveness_successful_and_startup_unknown()
    {
        Assert.Equal(ProbeVerdict.Failure, Machine(ProbeKind.Readiness).Verdict);
        Assert.Equal(ProbeVerdict.Success, Machine(ProbeKind.Liveness).Verdict);
        Assert.Equal(ProbeVerdict.Unknown, Machine(ProbeKind.Startup).Verdict);
    }

    [Fact]
    public void Nothing_is_probed_before_the_initial_delay_has_passed_in_whole_seconds()
    {
        var machine = Machine(ProbeKind.Readiness, initialDelay: 5);

        Assert.Equal(ProbeStep.Wait, machine.Next(Running(), Start + TimeSpan.FromSeconds(4.9)));
        Assert.Equal(ProbeStep.Probe, machine.Next(Running(), Start + TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_container_not_yet_running_is_not_probed()
    {
        var machine = Machine(ProbeKind.Liveness);

        Assert.Equal(ProbeStep.Wait, machine.Next(new ProbeObservation(false, false, null, false), Start));
    }

    [Fact]
    public void Readiness_succeeds_only_after_success_threshold_successes_in_a_row()
    {
        var machine = Machine(ProbeKind.Readiness, successThreshold: 2);

        Assert.False(machine.Record(ProbeVerdict.Success));
        Assert.False(machine.Record(ProbeVerdict.Failure));
        Assert.False(machine.Record(ProbeVerdict.Success));
        Assert.Equal(ProbeVerdict.Failure, machine.Verdict);
        Assert.True(machine.Record(ProbeVerdict.Success));
        Assert.Equal(ProbeVerdict.Success, machine.Verdict);
    }

    [Fact]
    public void Readiness_fails_again_after_failure_threshold_failures_and_keeps_probing()
    {
        var machine = Machine(ProbeKind.Readiness, failureThreshold: 2);
        machine.Record(ProbeVerdict.Success);

        Assert.False(machine.Record(ProbeVerdict.Failure));
        Assert.True(machine.Record(ProbeVerdict.Failure));
        Assert.Equal(ProbeVerdict.Failure, machine.Verdict);
        Assert.Equal(ProbeStep.Probe, machine.Next(Running(), Start));
    }

    [Fact]
    public void Liveness_fails_only_after_failure_threshold_consecutive_failures()
    {
        var machine = Machine(ProbeKind.Liveness, failureThreshold: 3);

        machine.Record(ProbeVerdict.Failure);
        machine.Record(ProbeVerdict.Failure);
        machine.Record(ProbeVerdict.Success);
        machine.Record(ProbeVerdict.Failure);
        machine.Record(ProbeVerdict.Failure);
        Assert.Equal(ProbeVerdict.Success, machine.Verdict);
        Assert.True(machine.Record(ProbeVerdict.Failure));
        Assert.Equal(ProbeVerdict.Failure, machine.Verdict);
    }

    [Theory]
    [InlineData(ProbeKind.Liveness)]
    [InlineData(ProbeKind.Startup)]
    public void A_liveness_or_startup_failure_puts_the_probe_on_hold(ProbeKind kind)
    {
        var machine = Machine(kind, failureThreshold: 1);

        machine.Record(ProbeVerdict.Failure);

        Assert.True(machine.OnHold);
        Assert.Equal(ProbeStep.Wait, machine.Next(Running(started: kind == ProbeKind.Liveness), Start));
    }

    [Theory]
    [InlineData(ProbeKind.Liveness)]
    [InlineData(ProbeKind.Readiness)]
    public void Liveness_and_readiness_wait_until_the_startup_probe_succeeds(ProbeKind kind)
    {
        var machine = Machine(kind);

        Assert.Equal(ProbeStep.Wait, machine.Next(Running(started: false), Start));
        Assert.Equal(ProbeStep.Probe, machine.Next(Running(started: true), Start));
    }

    [Fact]
    public void The_startup_probe_runs_only_until_the_container_has_started()
    {
        var machine = Machine(ProbeKind.Startup);

        Assert.Equal(ProbeStep.Probe, machine.Next(Running(started: false), Start));
        Assert.Equal(ProbeStep.Wait, machine.Next(Running(started: true), Start));
    }

    [Fact]
    public void An_exited_container_is_not_ready_and_its_worker_stops()
    {
        var machine = Machine(ProbeKind.Readiness);
        machine.Record(ProbeVerdict.Success);

        Assert.Equal(ProbeStep.Stop, machine.Next(new ProbeObservation(false, true, Start, true), Start));
        Assert.Equal(ProbeVerdict.Failure, machine.Verdict);
    }

    [Fact]
    public void Unset_timings_take_the_api_defaults()
    {
        var settings = ProbeSettings.Of(new k8s.Models.V1Probe());

        Assert.Equal(new ProbeSettings(0, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), 1, 3), settings);
    }
}
