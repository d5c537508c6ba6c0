using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Gantry's Mesos v1 scheduler API, driven with curl as a framework drives it: a SUBSCRIBE stream of RecordIO events,
/// and calls that name the stream. Tasks are pods in the <c>mesos</c> namespace; kubectl shows them. Each test is its
/// own framework and tears it down at its end.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)] // kubectl only reads what the Mesos API made; its versions do not matter here
public sealed class MesosFrameworkTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Namespace = "mesos";

    private static readonly TimeSpan MesosPatience = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan CurlTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_subscribed_framework_gets_its_id_a_stream_id_and_offers_of_the_nodes_resources()
    {
        await using var framework = await SubscribeAsync("offers");

        var offer = await framework.NextOfferAsync();

        Assert.Matches("^[0-9a-f-]{36}$", framework.StreamId);
        Check.Equal(framework.Id, offer["framework_id"]!["value"]!.GetValue<string>(), "the offer's framework");
        Check.Equal(offer["hostname"]!.GetValue<string>(), offer["agent_id"]!["value"]!.GetValue<string>(), "the offer's agent id and hostname");
        Assert.True(Scalar(offer, "cpus") > 0, $"The offer holds no cpus:\n{offer}");
        Assert.True(Scalar(offer, "mem") > 0, $"The offer holds no mem:\n{offer}");
    }

    [Fact]
    public async Task A_launched_command_runs_as_a_process_pod_and_finishes()
    {
        await using var framework = await SubscribeAsync("hello");
        var offer = await framework.NextOfferAsync();

        await framework.LaunchAsync(offer, Task("hello-1", offer, "echo hello-mesos; sleep 1"));

        var running = await framework.UpdateAsync("hello-1", "TASK_RUNNING");
        await framework.AcknowledgeAsync(running);
        var finished = await framework.UpdateAsync("hello-1", "TASK_FINISHED");
        Check.Equal("Command exited with status 0", finished["message"]?.GetValue<string>(), "the finished task's message");
        await framework.AcknowledgeAsync(finished);
        var pod = (await Ok("get", "pods", "-n", Namespace, "-l", "kernel.gantry.io/framework=" + framework.Id, "-o",
            "jsonpath={.items[0].metadata.name} {.items[0].spec.runtimeClassName} {.items[0].metadata.annotations.mesos\\.gantry\\.io/task-id}")).Stdout.Split(' ');
        Check.Equal("process hello-1", $"{pod[1]} {pod[2]}", "the task's pod: its runtime class and task id");
        Assert.Contains("hello-mesos", (await Ok("logs", pod[0], "-n", Namespace)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_masters_state_lists_the_framework_with_its_running_task_on_its_agent()
    {
        await using var framework = await SubscribeAsync("state");
        var offer = await framework.NextOfferAsync();
        await framework.LaunchAsync(offer, Task("state-1", offer, "sleep 300"));
        await framework.UpdateAsync("state-1", "TASK_RUNNING");

        var result = await ProcessRunner.RunAsync("curl", [
            "-sk", "--fail-with-body", "--max-time", CurlTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "-H", "Authorization: Bearer " + AdminToken(), Fixture.BaseUrl + "/master/state"], null, null, CurlTimeout + TimeSpan.FromSeconds(10));
        Assert.True(result.Succeeded, $"curl failed: {result.Stdout} {result.Stderr}\n{Fixture.ServerNote()}");

        var state = JsonNode.Parse(result.Stdout)!;
        var agent = offer["agent_id"]!["value"]!.GetValue<string>();
        Assert.Contains(agent, state["slaves"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        var mine = state["frameworks"]!.AsArray().Single(f => f!["id"]!.GetValue<string>() == framework.Id)!;
        var task = Assert.Single(mine["tasks"]!.AsArray())!;
        Check.Equal($"state-1 TASK_RUNNING {agent}", $"{task["id"]} {task["state"]} {task["slave_id"]}", "the task in the master's state");
    }

    [Fact]
    public async Task A_command_that_fails_ends_the_task_failed_with_its_exit_status()
    {
        await using var framework = await SubscribeAsync("fails");
        var offer = await framework.NextOfferAsync();

        await framework.LaunchAsync(offer, Task("fails-1", offer, "exit 3"));

        // However short its run, the command ran: TASK_RUNNING comes first, and the next update only once it is acknowledged.
        await framework.AcknowledgeAsync(await framework.UpdateAsync("fails-1", "TASK_RUNNING"));
        var failed = await framework.UpdateAsync("fails-1", "TASK_FAILED");
        Check.Equal("Command exited with status 3", failed["message"]?.GetValue<string>(), "the failed task's message");
    }

    [Fact]
    public async Task A_killed_task_ends_killed_and_its_pod_goes()
    {
        await using var framework = await SubscribeAsync("kill");
        var offer = await framework.NextOfferAsync();
        await framework.LaunchAsync(offer, Task("sleeper", offer, "exec sleep 300"));
        await framework.AcknowledgeAsync(await framework.UpdateAsync("sleeper", "TASK_RUNNING"));

        await framework.CallAsync("KILL", new JsonObject { ["task_id"] = Value("sleeper") });

        await framework.UpdateAsync("sleeper", "TASK_KILLED");
        await Eventually.Until(() => Run("get", "pods", "-n", Namespace, "-l", "kernel.gantry.io/framework=" + framework.Id, "-o", "name"),
            r => r.Succeeded && r.Stdout.Trim().Length == 0, MesosPatience, "the killed task's pod to go");
    }

    [Fact]
    public async Task Implicit_reconciliation_reports_a_running_task_without_asking_for_an_acknowledgement()
    {
        await using var framework = await SubscribeAsync("reconcile");
        var offer = await framework.NextOfferAsync();
        await framework.LaunchAsync(offer, Task("steady", offer, "exec sleep 300"));
        await framework.UpdateAsync("steady", "TASK_RUNNING");

        await framework.CallAsync("RECONCILE", new JsonObject { ["tasks"] = new JsonArray() });

        var reconciled = await framework.UpdateAsync("steady", "TASK_RUNNING", s => s["reason"]?.GetValue<string>() == "REASON_RECONCILIATION");
        Assert.Null(reconciled["uuid"]);
    }

    [Fact]
    public async Task A_task_asking_more_than_offered_is_an_error_and_runs_nothing()
    {
        await using var framework = await SubscribeAsync("greedy");
        var offer = await framework.NextOfferAsync();
        var task = Task("greedy-1", offer, "true");
        task["resources"]![0]!["scalar"]!["value"] = 1000;

        await framework.LaunchAsync(offer, task);

        var error = await framework.UpdateAsync("greedy-1", "TASK_ERROR");
        Assert.StartsWith("Task uses more resources cpus:1000", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Check.Equal("", (await Ok("get", "pods", "-A", "-l", "kernel.gantry.io/framework=" + framework.Id, "-o", "name")).Stdout.Trim(), "the framework's pods");
    }

    [Fact]
    public async Task Declined_resources_are_offered_again_once_the_refusal_runs_out()
    {
        await using var framework = await SubscribeAsync("decline");
        var offer = await framework.NextOfferAsync();
        var declined = offer["id"]!["value"]!.GetValue<string>();

        await framework.CallAsync("DECLINE", new JsonObject
        {
            ["offer_ids"] = new JsonArray(Value(declined)),
            ["filters"] = new JsonObject { ["refuse_seconds"] = 1 },
        });

        var again = await framework.NextOfferAsync(o => o["id"]!["value"]!.GetValue<string>() != declined);
        Check.Equal(offer["agent_id"]!["value"]!.GetValue<string>(), again["agent_id"]!["value"]!.GetValue<string>(), "the agent offered again");
    }

    [Fact]
    public async Task A_framework_whose_stream_closes_without_a_failover_timeout_loses_its_tasks()
    {
        await using var framework = await SubscribeAsync("gone");
        var offer = await framework.NextOfferAsync();
        await framework.LaunchAsync(offer, Task("orphan", offer, "exec sleep 300"));
        await framework.UpdateAsync("orphan", "TASK_RUNNING");

        await framework.CloseAsync();

        await Eventually.Until(() => Run("get", "pods", "-n", Namespace, "-l", "kernel.gantry.io/framework=" + framework.Id, "-o", "name"),
            r => r.Succeeded && r.Stdout.Trim().Length == 0, MesosPatience, "the pods of the framework whose stream closed to go");
    }

    [Fact]
    public async Task An_operator_sees_the_running_task_in_get_tasks_and_tears_its_framework_down()
    {
        await using var framework = await SubscribeAsync("operated");
        var offer = await framework.NextOfferAsync();
        await framework.LaunchAsync(offer, Task("operated-1", offer, "exec sleep 300"));
        await framework.UpdateAsync("operated-1", "TASK_RUNNING");

        var tasks = JsonNode.Parse(await OperatorAsync("""{"type":"GET_TASKS"}"""))!["get_tasks"]!["tasks"]!.AsArray();
        var task = tasks.Single(t => t!["framework_id"]!["value"]!.GetValue<string>() == framework.Id)!;
        Check.Equal($"operated-1 TASK_RUNNING {offer["agent_id"]!["value"]}", $"{task["task_id"]!["value"]} {task["state"]} {task["agent_id"]!["value"]}",
            "the task GET_TASKS lists");

        await OperatorAsync(new JsonObject
        {
            ["type"] = "TEARDOWN",
            ["teardown"] = new JsonObject { ["framework_id"] = Value(framework.Id) },
        }.ToJsonString());
        await framework.CloseAsync(); // torn down already: no TEARDOWN of its own at the end

        await Eventually.Until(() => Run("get", "pods", "-n", Namespace, "-l", "kernel.gantry.io/framework=" + framework.Id, "-o", "name"),
            r => r.Succeeded && r.Stdout.Trim().Length == 0, MesosPatience, "the pods of the framework an operator tore down to go");
        var frameworks = JsonNode.Parse(await OperatorAsync("""{"type":"GET_FRAMEWORKS"}"""))!["get_frameworks"]!["frameworks"] as JsonArray ?? [];
        Assert.DoesNotContain(framework.Id, frameworks.Select(f => f!["framework_info"]!["id"]!["value"]!.GetValue<string>()));
    }

    /// <summary>A call of the master's operator API in JSON; its answer's body, which must be 200 OK.</summary>
    private async Task<string> OperatorAsync(string call)
    {
        var result = await ProcessRunner.RunAsync("curl", [
            "-sk", "--fail-with-body", "--max-time", CurlTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "-H", "Authorization: Bearer " + AdminToken(), "-H", "Content-Type: application/json", "--data-binary", "@-", Fixture.BaseUrl + "/api/v1"],
            call, null, CurlTimeout + TimeSpan.FromSeconds(10));
        Assert.True(result.Succeeded, $"POST /api/v1 {call} failed: {result.Stdout} {result.Stderr}\n{Fixture.ServerNote()}");
        return result.Stdout;
    }

    [Fact]
    public async Task Calls_that_mesos_refuses_are_refused_in_its_words()
    {
        await using var framework = await SubscribeAsync("refusals");
        var kill = new JsonObject { ["framework_id"] = Value(framework.Id), ["type"] = "KILL", ["kill"] = new JsonObject { ["task_id"] = Value("x") } }.ToJsonString();

        var noStream = await PostAsync(kill, "application/json", null);
        var wrongStream = await PostAsync(kill, "application/json", "0f0e0d0c-0000-0000-0000-000000000000");
        var plainText = await PostAsync(kill, "text/plain", framework.StreamId);
        var notJson = await PostAsync("{not json", "application/json", framework.StreamId);

        Check.Equal("400 All non-subscribe calls should include the 'Mesos-Stream-Id' header", noStream, "a call without the stream id");
        Assert.StartsWith("400 The stream ID '0f0e0d0c-0000-0000-0000-000000000000' included in this request didn't match the stream ID currently associated with framework ID",
            wrongStream, StringComparison.Ordinal);
        Check.Equal("415 Expecting 'Content-Type' of application/json or application/x-protobuf", plainText, "a text/plain call");
        Assert.StartsWith("400 Failed to parse body into JSON: ", notJson, StringComparison.Ordinal);
    }

    private static JsonObject Value(string value) => new() { ["value"] = value };

    private static double Scalar(JsonObject offer, string name) =>
        offer["resources"]!.AsArray().Where(r => r!["name"]!.GetValue<string>() == name).Sum(r => r!["scalar"]!["value"]!.GetValue<double>());

    /// <summary>A shell command task on the offer's agent, with a tenth of a cpu and 32 MB.</summary>
    private static JsonObject Task(string id, JsonObject offer, string command) => new()
    {
        ["name"] = id,
        ["task_id"] = Value(id),
        ["agent_id"] = offer["agent_id"]!.DeepClone(),
        ["resources"] = new JsonArray(
            new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 0.1 } },
            new JsonObject { ["name"] = "mem", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 32 } }),
        ["command"] = new JsonObject { ["shell"] = true, ["value"] = command },
    };

    private async Task<Framework> SubscribeAsync(string name)
    {
        var body = new JsonObject
        {
            ["type"] = "SUBSCRIBE",
            ["subscribe"] = new JsonObject { ["framework_info"] = new JsonObject { ["user"] = "root", ["name"] = "e2e-" + name } },
        };
        var file = TempFile("subscribe.json");
        await File.WriteAllTextAsync(file, body.ToJsonString());
        var stream = BackgroundCommand.Start("curl", [
            "-sk", "-N", "-i", "-H", "Authorization: Bearer " + AdminToken(), "-H", "Content-Type: application/json", "-H", "Accept: application/json",
            "--data-binary", "@" + file, Fixture.BaseUrl + "/api/v1/scheduler"], null, Fixture.ServerNote);
        var framework = new Framework(this, stream);
        await framework.SubscribedAsync();
        return framework;
    }

    /// <summary>Posts a raw call; the answer as "STATUS BODY".</summary>
    private async Task<string> PostAsync(string body, string contentType, string? streamId)
    {
        List<string> args =
        [
            "-sk", "--max-time", CurlTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture), "-w", "\n%{http_code}",
            "-H", "Authorization: Bearer " + AdminToken(), "-H", "Content-Type: " + contentType, "--data-binary", "@-",
        ];
        if (streamId is not null)
        {
            args.AddRange(["-H", "Mesos-Stream-Id: " + streamId]);
        }

        args.Add(Fixture.BaseUrl + "/api/v1/scheduler");
        var result = await ProcessRunner.RunAsync("curl", args, body, null, CurlTimeout + TimeSpan.FromSeconds(10));
        Assert.True(result.Succeeded, $"curl failed: {result.Stderr}\n{Fixture.ServerNote()}");
        var lines = result.Stdout.TrimEnd('\n');
        var split = lines.LastIndexOf('\n');
        var answer = $"{lines[(split + 1)..]} {lines[..Math.Max(0, split)]}";
        Output.WriteLine($"POST /api/v1/scheduler {body} -> {answer}");
        return answer;
    }

    /// <summary>
    /// A framework's SUBSCRIBE stream (curl -N) and the calls it makes on it; disposing tears it down and ends the stream,
    /// also when its test fails, as a framework left subscribed would hold offers the tests after it need.
    /// </summary>
    private sealed class Framework(MesosFrameworkTests test, BackgroundCommand stream) : IAsyncDisposable
    {
        private bool _disposed;

        public string Id { get; private set; } = "";

        public string StreamId { get; private set; } = "";

        public async Task SubscribedAsync()
        {
            await stream.WaitForStdoutAsync(s => Events(s).Count > 0, MesosPatience, "the SUBSCRIBED event");
            var subscribed = Events(stream.Stdout)[0];
            Check.Equal("SUBSCRIBED", subscribed["type"]!.GetValue<string>(), "the first event");
            Id = subscribed["subscribed"]!["framework_id"]!["value"]!.GetValue<string>();
            StreamId = Header(stream.Stdout, "mesos-stream-id") ?? throw new InvalidOperationException($"No Mesos-Stream-Id header:\n{stream.Stdout}");
        }

        /// <summary>The latest offer (by default, one that holds a test task) still outstanding: not rescinded, as busy pod scheduling may make it.</summary>
        public async Task<JsonObject> NextOfferAsync(Func<JsonObject, bool>? which = null)
        {
            JsonObject? found = null;
            await stream.WaitForStdoutAsync(
                s => (found = Offers(s).Where(o => !Rescinded(s).Contains(o["id"]!["value"]!.GetValue<string>())).LastOrDefault(o => (which ?? HoldsATask)(o))) is not null,
                MesosPatience, "an offer");
            return found!;
        }

        private static bool HoldsATask(JsonObject offer) => Scalar(offer, "cpus") >= 0.1 && Scalar(offer, "mem") >= 32;

        private static HashSet<string> Rescinded(string output) =>
            [.. Events(output).Where(e => e["type"]!.GetValue<string>() == "RESCIND").Select(e => e["rescind"]!["offer_id"]!["value"]!.GetValue<string>())];

        public async Task<JsonObject> UpdateAsync(string taskId, string state, Func<JsonObject, bool>? which = null)
        {
            JsonObject? found = null;
            await stream.WaitForStdoutAsync(
                s => (found = Statuses(s).FirstOrDefault(u => u["task_id"]!["value"]!.GetValue<string>() == taskId && u["state"]!.GetValue<string>() == state
                    && (which?.Invoke(u) ?? true))) is not null,
                MesosPatience, $"{state} for task {taskId}");
            return found!;
        }

        public Task LaunchAsync(JsonObject offer, JsonObject task) => CallAsync("ACCEPT", new JsonObject
        {
            ["offer_ids"] = new JsonArray(offer["id"]!.DeepClone()),
            ["operations"] = new JsonArray(new JsonObject
            {
                ["type"] = "LAUNCH",
                ["launch"] = new JsonObject { ["task_infos"] = new JsonArray(task.DeepClone()) },
            }),
            ["filters"] = new JsonObject { ["refuse_seconds"] = 1 },
        });

        public Task AcknowledgeAsync(JsonObject status) => CallAsync("ACKNOWLEDGE", new JsonObject
        {
            ["agent_id"] = status["agent_id"]!.DeepClone(),
            ["task_id"] = status["task_id"]!.DeepClone(),
            ["uuid"] = status["uuid"]!.GetValue<string>(),
        });

        public async Task CallAsync(string type, JsonObject? payload)
        {
            var call = new JsonObject { ["framework_id"] = Value(Id), ["type"] = type };
            if (payload is not null)
            {
                call[type.ToLowerInvariant()] = payload;
            }

            Check.Equal("202 ", await test.PostAsync(call.ToJsonString(), "application/json", StreamId), $"the answer to {type}");
        }

        /// <summary>Ends the stream as a framework that goes away does: no TEARDOWN, the connection just closes.</summary>
        public async Task CloseAsync()
        {
            _disposed = true;
            await stream.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (Id.Length > 0 && !stream.HasExited)
            {
                await CallAsync("TEARDOWN", null);
            }

            await stream.DisposeAsync();
        }

        private static string? Header(string output, string name) =>
            output.Split('\n').TakeWhile(l => l.Trim().Length > 0)
                .Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(p => p[1].Trim()).FirstOrDefault();

        private static List<JsonObject> Offers(string output) =>
            [.. Events(output).Where(e => e["type"]!.GetValue<string>() == "OFFERS").SelectMany(e => e["offers"]!["offers"]!.AsArray()).Select(o => o!.AsObject())];

        private static List<JsonObject> Statuses(string output) =>
            [.. Events(output).Where(e => e["type"]!.GetValue<string>() == "UPDATE").Select(e => e["update"]!["status"]!.AsObject())];

        /// <summary>The RecordIO records after the response's headers: each its length, a newline, then that many bytes of JSON.</summary>
        private static List<JsonObject> Events(string output)
        {
            var events = new List<JsonObject>();
            var start = output.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (start < 0)
            {
                return events;
            }

            var body = System.Text.Encoding.UTF8.GetBytes(output[(start + 4)..]);
            var at = 0;
            while (true)
            {
                var newline = Array.IndexOf(body, (byte)'\n', at);
                if (newline < 0 || !int.TryParse(System.Text.Encoding.ASCII.GetString(body, at, newline - at), CultureInfo.InvariantCulture, out var length)
                    || newline + 1 + length > body.Length)
                {
                    return events;
                }

                events.Add(JsonNode.Parse(body.AsSpan(newline + 1, length))!.AsObject());
                at = newline + 1 + length;
            }
        }
    }
}
