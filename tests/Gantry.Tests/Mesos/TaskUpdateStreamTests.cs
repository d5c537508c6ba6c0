using System.Text.Json.Nodes;
using Gantry.Server.Mesos;
using Xunit;

namespace Gantry.Tests.Mesos;

/// <summary>A task's updates reach its framework one at a time and in order, each until it is acknowledged.</summary>
public sealed class TaskUpdateStreamTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-28T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly MesosFramework _framework = new("fw-1") { Session = new FrameworkSession("fw-1", "*", "stream-1") };
    private readonly TaskRecord _task = new("t1", "n1", "t1-abcde");

    public TaskUpdateStreamTests() => _framework.Tasks[_task.TaskId] = _task;

    private static TaskState Finished => new("TASK_FINISHED", "Command exited with status 0", null, "SOURCE_EXECUTOR");

    private async Task<List<string>> SentStatesAsync() =>
        [.. (await SessionEvents.ReadAsync(_framework.Session!)).Where(e => e["type"]!.GetValue<string>() == "UPDATE")
            .Select(e => SessionEvents.Status(e)["state"]!.GetValue<string>())];

    [Fact]
    public async Task A_tasks_second_update_waits_until_the_first_is_acknowledged()
    {
        _framework.Report(_task, TaskState.Running, Now);
        _framework.Report(_task, Finished, Now);

        Assert.Equal(["TASK_RUNNING"], await SentStatesAsync());
        Assert.Equal("TASK_FINISHED", _task.State.State);
    }

    [Fact]
    public async Task Acknowledging_the_update_in_flight_sends_the_next()
    {
        _framework.Report(_task, TaskState.Running, Now);
        _framework.Report(_task, Finished, Now);
        var running = _task.PendingUuid!;
        await SentStatesAsync();

        Assert.True(_framework.Acknowledge(_task, running));

        Assert.Equal(["TASK_FINISHED"], await SentStatesAsync());
        Assert.False(_task.Finished);
    }

    [Fact]
    public async Task An_acknowledgement_of_an_update_not_in_flight_changes_nothing()
    {
        _framework.Report(_task, TaskState.Running, Now);
        _framework.Report(_task, Finished, Now);
        var running = _task.PendingUuid!;
        await SentStatesAsync();

        Assert.False(_framework.Acknowledge(_task, "not-the-uuid-in-flight"));

        Assert.Equal(running, _task.PendingUuid);
        Assert.Empty(await SentStatesAsync());
    }

    [Fact]
    public async Task A_terminal_update_acknowledged_last_finishes_the_task()
    {
        _framework.Report(_task, TaskState.Running, Now);
        _framework.Report(_task, Finished, Now);
        _framework.Acknowledge(_task, _task.PendingUuid!);

        Assert.True(_framework.Acknowledge(_task, _task.PendingUuid!));

        Assert.True(_task.Finished);
        Assert.Null(_task.PendingUuid);
        Assert.Equal(["TASK_RUNNING", "TASK_FINISHED"], await SentStatesAsync());
    }

    [Fact]
    public async Task Sending_again_repeats_only_the_update_in_flight_with_its_own_uuid()
    {
        _framework.Report(_task, TaskState.Running, Now);
        _framework.Report(_task, Finished, Now);
        await SentStatesAsync();

        _framework.ResendPending();

        var resent = Assert.Single(await SessionEvents.ReadAsync(_framework.Session!));
        Assert.Equal(("TASK_RUNNING", _task.PendingUuid), (SessionEvents.Status(resent)["state"]!.GetValue<string>(), SessionEvents.Status(resent)["uuid"]!.GetValue<string>()));
    }
}
