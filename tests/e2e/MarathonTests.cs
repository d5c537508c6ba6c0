using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gantry.E2E;

/// <summary>
/// Gantry's Marathon v2 REST API, driven with curl as Marathon's clients drive it: apps created, scaled, restarted and
/// deleted, their tasks listed and killed, their deployments followed, command health checks, and refusals in
/// Marathon's words. An app is a Deployment in the <c>marathon</c> namespace whose pods are its tasks; kubectl shows them.
/// Each test creates its own app (<c>/e2e/NAME-RANDOM</c>) and deletes it at its end.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)] // kubectl only reads what the Marathon API made; its versions do not matter here
public sealed class MarathonTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Namespace = "marathon";

    private const string AppLabel = "marathon.gantry.io/app";

    /// <summary>
    /// A task that runs until it is killed, and then exits at once: a shell that is its PID namespace's init ignores a
    /// SIGTERM it has no handler for, and would hold every kill, restart and delete to the end of its grace period.
    /// </summary>
    private const string Idle = "trap 'exit 0' TERM; while true; do sleep 1; done";

    /// <summary>A task's start takes a pod's scheduling and start on a loaded CI machine; a rolling replacement two of them.</summary>
    private static readonly TimeSpan MarathonPatience = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan CurlTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ping_answers_pong_and_info_names_an_elected_marathon()
    {
        var ping = (await SendAsync("GET", "/ping")).Expect(200);
        var info = (await SendAsync("GET", "/v2/info")).Expect(200).JsonBody();

        Check.Equal("pong", ping.Body.Trim(), "the body of /ping");
        Check.Equal("marathon", Json.Text(info, "name"), "/v2/info name");
        Check.Equal("true", Json.Text(info, "elected"), "/v2/info elected");
        Assert.False(string.IsNullOrEmpty(Json.Text(info, "version")), $"/v2/info has no version:\n{info}");
        Assert.False(string.IsNullOrEmpty(Json.Text(info, "leader")), $"/v2/info has no leader:\n{info}");
    }

    [Fact]
    public async Task A_created_app_runs_its_instances_as_process_pods_of_a_deployment_in_the_marathon_namespace()
    {
        await using var app = await CreateAppAsync(NewAppId("hello"), new
        {
            cmd = "trap 'exit 0' TERM; while true; do echo hello-marathon; sleep 1; done",
            cpus = 0.1,
            mem = 32,
            instances = 2,
        });

        Assert.EndsWith("/v2/apps" + app.Id, app.Created.Header("Location") ?? "", StringComparison.Ordinal);
        Assert.True(Guid.TryParse(app.Created.Header("Marathon-Deployment-Id"), out _), $"Expected a Marathon-Deployment-Id header holding a UUID:\n{app.Created}");
        Check.Equal(app.Id, Json.Text(app.Created.JsonBody(), "id"), "the id of the created app");
        await WaitForDeployedAsync(app, 2);
        Check.Equal($"{app.Id} 2", await JsonPath(Namespace, "deployment/" + app.Name, "{.metadata.annotations.marathon\\.gantry\\.io/app-id} {.spec.replicas}"),
            "the app's Deployment: its app id annotation and replicas");
        var pods = await PodsAsync(app);
        Assert.Equal(2, pods.Count);
        foreach (var pod in pods)
        {
            var name = Json.Text(pod, "metadata.name")!;
            Check.Equal("Running process", $"{Json.Text(pod, "status.phase")} {Json.Text(pod, "spec.runtimeClassName")}", $"the phase and runtime class of {name}");
            await Eventually.Until(() => Run("logs", name, "-n", Namespace), r => r.Stdout.Contains("hello-marathon\n", StringComparison.Ordinal), MarathonPatience,
                $"the output of {name} in its log");
        }
    }

    [Fact]
    public async Task A_relative_id_is_taken_from_the_root_group_and_omitted_fields_get_marathons_defaults()
    {
        var id = "defaults-" + Guid.NewGuid().ToString("N")[..6];

        await using var app = await CreateAppAsync(id, new { cmd = Idle });

        var created = app.Created.JsonBody();
        Check.Equal("/" + id, Json.Text(created, "id"), "id");
        Check.Equal(1.0, Number(created, "cpus"), "cpus");
        Check.Equal(128.0, Number(created, "mem"), "mem");
        Check.Equal(0.0, Number(created, "disk"), "disk");
        Check.Equal(1.0, Number(created, "instances"), "instances");
        Check.Equal(1.0, Number(created, "upgradeStrategy.minimumHealthCapacity"), "upgradeStrategy.minimumHealthCapacity");
        Check.Equal(1.0, Number(created, "upgradeStrategy.maximumOverCapacity"), "upgradeStrategy.maximumOverCapacity");
        Check.Equal(1.0, Number(created, "backoffSeconds"), "backoffSeconds");
        Check.Equal("{}", Json.At(created, "env").GetRawText(), "env");
        Check.Equal("{}", Json.At(created, "labels").GetRawText(), "labels");
        Check.Equal("[]", Json.At(created, "constraints").GetRawText(), "constraints");
    }

    [Fact]
    public async Task The_apps_tasks_are_listed_with_their_agent_and_the_address_they_are_reached_at()
    {
        await using var app = await CreateAppAsync(NewAppId("tasks"), Idling(2));
        await WaitForDeployedAsync(app, 2);

        var tasks = await TasksAsync(app);
        var everyAppsTasks = Json.Items((await SendAsync("GET", "/v2/tasks")).Expect(200).JsonBody(), "tasks");

        Assert.Equal(2, tasks.Count);
        foreach (var task in tasks)
        {
            Check.Equal(app.Id, Json.Text(task, "appId"), "the task's appId");
            Check.Equal("TASK_RUNNING", Json.Text(task, "state"), "the task's state");
            // A task is reached at its pod's address (its ports are the pod's); its agent is the node.
            Check.Equal(Json.Text(task, "ipAddresses[0].ipAddress"), Json.Text(task, "host"), "the task's host (its pod's address)");
            Check.Equal(Json.Text(task, "agentId"), Json.Text(task, "slaveId"), "the task's slaveId (its agentId)");
            Check.Equal("IPv4", Json.Text(task, "ipAddresses[0].protocol"), "the protocol of the task's IP address");
            foreach (var field in new[] { "startedAt", "stagedAt", "version" })
            {
                Assert.False(string.IsNullOrEmpty(Json.Text(task, field)), $"The task has no {field}:\n{task}");
            }
        }

        var pods = await PodsAsync(app);
        Assert.Equal(Sorted(pods, "spec.nodeName"), Sorted(tasks, "agentId"));
        Assert.Equal(Sorted(pods, "status.podIP"), Sorted(tasks, "ipAddresses[0].ipAddress"));
        Assert.Equal(Sorted(tasks, "id"), Sorted(everyAppsTasks.Where(t => Json.Text(t, "appId") == app.Id), "id"));
    }

    [Fact]
    public async Task A_partial_put_of_instances_scales_the_app_and_keeps_the_rest_of_its_definition()
    {
        await using var app = await CreateAppAsync(NewAppId("scale"), new { cmd = Idle, cpus = 0.1, mem = 32, instances = 1, env = new { GREETING = "hi" } });
        await WaitForDeployedAsync(app, 1);

        var change = (await SendAsync("PUT", app.ApiPath, """{"instances":3}""")).Expect(200).JsonBody();

        AssertChangeAnswer(change);
        var scaled = await WaitForDeployedAsync(app, 3);
        Check.Equal(3.0, Number(scaled, "instances"), "instances");
        Check.Equal(Idle, Json.Text(scaled, "cmd"), "cmd");
        Check.Equal(0.1, Number(scaled, "cpus"), "cpus");
        Check.Equal(32.0, Number(scaled, "mem"), "mem");
        Check.Equal("hi", Json.Text(scaled, "env.GREETING"), "env.GREETING");
        Check.Equal("3", await JsonPath(Namespace, "deployment/" + app.Name, "{.spec.replicas}"), "the replicas of the app's Deployment");
    }

    [Fact]
    public async Task A_killed_task_is_replaced_by_a_new_one_and_the_others_are_left_alone()
    {
        await using var app = await CreateAppAsync(NewAppId("kill"), Idling(2));
        await WaitForDeployedAsync(app, 2);
        var before = TaskIds(await TasksAsync(app));
        var (killed, kept) = (before[0], before[1]);

        var answer = (await SendAsync("DELETE", $"{app.ApiPath}/tasks/{Uri.EscapeDataString(killed)}")).Expect(200).JsonBody();

        Check.Equal(killed, Json.Text(answer, "task.id"), "the id of the task in the answer");
        var after = await Eventually.Until(() => TasksAsync(app), tasks => tasks.Count == 2 && AllRunning(tasks) && !TaskIds(tasks).Contains(killed),
            MarathonPatience, $"a task running in place of {killed}", Describe);
        Assert.Contains(kept, TaskIds(after));
    }

    [Fact]
    public async Task Restarting_an_app_replaces_every_task()
    {
        await using var app = await CreateAppAsync(NewAppId("restart"), Idling(2));
        await WaitForDeployedAsync(app, 2);
        var before = TaskIds(await TasksAsync(app));

        var restart = (await SendAsync("POST", app.ApiPath + "/restart")).Expect(200).JsonBody();

        AssertChangeAnswer(restart);
        await Eventually.Until(() => TasksAsync(app), tasks => tasks.Count == 2 && AllRunning(tasks) && !TaskIds(tasks).Intersect(before).Any(),
            MarathonPatience, $"two running tasks, none of them {string.Join(" or ", before)}", Describe);
    }

    [Fact]
    public async Task A_deployment_is_listed_while_it_is_under_way_and_no_longer_once_the_tasks_run()
    {
        await using var app = await CreateAppAsync(NewAppId("rollout"), Idling(2));
        var deploymentId = app.Created.Header("Marathon-Deployment-Id");

        // Host processes may all start before the first look, so seeing the deployment under way is not required; when
        // it is seen, it is the one the create answered with, acting on this app.
        var (listed, _) = await Eventually.Until(
            async () => (Listed: DeploymentsOf(app, await DeploymentsAsync()), App: await GetAppAsync(app)),
            seen => seen.Listed.Count > 0 || Deployed(seen.App, 2), MarathonPatience, "the deployment listed, or the app deployed",
            seen => $"{Describe(seen.Listed)}\n{seen.App}");
        if (listed.Count > 0)
        {
            var deployment = Assert.Single(listed);
            Check.Equal(deploymentId, Json.Text(deployment, "id"), "the listed deployment's id");
            Assert.Contains(Json.Items(deployment, "currentActions"), action => Json.Text(action, "app") == app.Id);
            Assert.True(Number(deployment, "currentStep") >= 1 && Number(deployment, "totalSteps") >= Number(deployment, "currentStep"),
                $"Expected 1 <= currentStep <= totalSteps:\n{deployment}");
        }
        else
        {
            Output.WriteLine("The app's tasks all ran before /v2/deployments was first read.");
        }

        await Eventually.Until(async () => DeploymentsOf(app, await DeploymentsAsync()), found => found.Count == 0, MarathonPatience,
            $"no deployment of {app.Id} in /v2/deployments", Describe);
        var done = await GetAppAsync(app);
        Check.Equal(0, Json.At(done, "deployments").GetArrayLength(), "the number of the app's deployments");
        Check.Equal(2.0, Number(done, "tasksRunning"), "tasksRunning");
    }

    [Fact]
    public async Task The_event_stream_tells_of_an_app_posted_its_task_running_and_its_deployment_done_then_of_its_end_and_its_task_killed()
    {
        await using var stream = BackgroundCommand.Start("curl", [
            "-skN", "-H", "Authorization: Bearer " + AdminToken(), "-H", "Accept: text/event-stream", Fixture.BaseUrl + "/v2/events"], null, Fixture.ServerNote);
        await stream.WaitForStdoutAsync(s => s.Contains("event: event_stream_attached\n", StringComparison.Ordinal), MarathonPatience, "the stream attached");

        await using var app = await CreateAppAsync(NewAppId("events"), Idling(1));
        await stream.WaitForStdoutAsync(s => s.Contains($"event: api_post_event\ndata: {{", StringComparison.Ordinal) && s.Contains($"\"id\":\"{app.Id}\"", StringComparison.Ordinal),
            MarathonPatience, $"api_post_event for {app.Id}");
        await stream.WaitForStdoutAsync(s => s.Split("\n\n").Any(e => e.StartsWith("event: status_update_event\n", StringComparison.Ordinal)
            && e.Contains($"\"appId\":\"{app.Id}\"", StringComparison.Ordinal) && e.Contains("\"taskStatus\":\"TASK_RUNNING\"", StringComparison.Ordinal)),
            MarathonPatience, $"TASK_RUNNING for a task of {app.Id}");
        var deploymentId = app.Created.Header("Marathon-Deployment-Id");
        await stream.WaitForStdoutAsync(s => s.Contains($"event: deployment_success\ndata: {{\"id\":\"{deploymentId}\"", StringComparison.Ordinal),
            MarathonPatience, $"deployment_success for {app.Id}'s deployment {deploymentId}");

        (await SendAsync("DELETE", app.ApiPath)).Expect(200);

        await stream.WaitForStdoutAsync(s => s.Contains($"event: app_terminated_event\ndata: {{\"appId\":\"{app.Id}\"", StringComparison.Ordinal),
            MarathonPatience, $"app_terminated_event for {app.Id}");
        await stream.WaitForStdoutAsync(s => s.Split("\n\n").Any(e => e.StartsWith("event: status_update_event\n", StringComparison.Ordinal)
            && e.Contains($"\"appId\":\"{app.Id}\"", StringComparison.Ordinal) && e.Contains("\"taskStatus\":\"TASK_KILLED\"", StringComparison.Ordinal)),
            MarathonPatience, $"TASK_KILLED for the task of the deleted {app.Id}");
    }

    [Fact]
    public async Task Deleting_an_app_removes_it_and_its_pods()
    {
        await using var app = await CreateAppAsync(NewAppId("delete"), Idling(2));
        await WaitForDeployedAsync(app, 2);

        var deletion = (await SendAsync("DELETE", app.ApiPath)).Expect(200).JsonBody();

        AssertChangeAnswer(deletion);
        var gone = (await SendAsync("GET", app.ApiPath)).Expect(404).JsonBody();
        Check.Equal($"App '{app.Id}' does not exist", Json.Text(gone, "message"), "the message of the 404");
        Assert.DoesNotContain(app.Id, await AppIdsAsync());
        await Eventually.Until(() => Run("get", "deployment", app.Name, "-n", Namespace), r => r.Stderr.Contains("NotFound", StringComparison.Ordinal),
            MarathonPatience, $"the Deployment {app.Name} deleted");
        await Eventually.Until(() => PodsAsync(app), pods => pods.Count == 0, MarathonPatience, $"the pods of {app.Id} gone", Describe);
    }

    [Fact]
    public async Task A_second_app_with_the_same_id_is_refused_with_409_in_marathons_words_and_changes_nothing()
    {
        await using var app = await CreateAppAsync(NewAppId("twice"), Idling(1));

        var again = (await SendAsync("POST", "/v2/apps", Definition(app.Id, Idling(3)).ToJsonString())).Expect(409).JsonBody();

        Check.Equal($"An app with id [{app.Id}] already exists.", Json.Text(again, "message"), "the message of the 409");
        Check.Equal(1.0, Number(await GetAppAsync(app), "instances"), "the instances of the first app");
        Check.Equal("1", await JsonPath(Namespace, "deployment/" + app.Name, "{.spec.replicas}"), "the replicas of the first app's Deployment");
    }

    [Theory]
    [InlineData("cpus", "-1", "/cpus", null)]
    [InlineData("instances", "-1", "/instances", null)]
    [InlineData("id", "\"/e2e/Bad_Id\"", "/id", null)]
    [InlineData("id", "\"/e2e/web/versions\"", "/id", "reserved keywords")] // an app's own path
    [InlineData("cmd", null, "/", "cmd")] // neither cmd nor args nor a container: nothing to run
    public async Task An_invalid_definition_is_refused_with_422_naming_the_invalid_path_and_creates_nothing(string field, string? value, string path, string? mentions)
    {
        var definition = Definition(NewAppId("invalid"), Idling(1));
        if (value is null)
        {
            definition.Remove(field);
        }
        else
        {
            definition[field] = JsonNode.Parse(value);
        }

        var refusal = (await SendAsync("POST", "/v2/apps", definition.ToJsonString())).Expect(422).JsonBody();

        Check.Equal("Object is not valid", Json.Text(refusal, "message"), "the message of the 422");
        var detail = Json.Items(refusal, "details").FirstOrDefault(d => Json.Text(d, "path") == path);
        Assert.True(detail.ValueKind == JsonValueKind.Object, $"Expected a detail for the path {path}:\n{refusal}");
        var errors = Json.Items(detail, "errors").Select(e => e.GetString() ?? "").ToList();
        Assert.NotEmpty(errors);
        if (mentions is not null)
        {
            Assert.Contains(errors, e => e.Contains(mentions, StringComparison.Ordinal));
        }

        await AssertNotCreatedAsync(definition["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_is_refused_with_400_and_creates_nothing()
    {
        var id = NewAppId("malformed");

        var refusal = (await SendAsync("POST", "/v2/apps", $$"""{"id":"{{id}}","cmd":""")).Expect(400).JsonBody();

        Assert.False(string.IsNullOrEmpty(Json.Text(refusal, "message")), $"Expected a message in the 400:\n{refusal}");
        await AssertNotCreatedAsync(id);
    }

    [Fact]
    public async Task An_unknown_app_is_a_404_in_marathons_words()
    {
        var id = NewAppId("nope");

        var missing = (await SendAsync("GET", "/v2/apps" + id)).Expect(404).JsonBody();

        Check.Equal($"App '{id}' does not exist", Json.Text(missing, "message"), "the message of the 404");
    }

    [Fact]
    public async Task Passing_command_health_checks_make_every_running_task_healthy()
    {
        await using var app = await CreateAppAsync(NewAppId("healthy"), HealthChecked("true", maxConsecutiveFailures: 3, instances: 2));

        await Eventually.Until(() => GetAppAsync(app),
            a => Number(a, "tasksRunning") == 2 && Number(a, "tasksHealthy") == 2 && Number(a, "tasksUnhealthy") == 0,
            MarathonPatience, "two running, healthy tasks", a => a.ToString());

        foreach (var task in await TasksAsync(app))
        {
            Assert.True(Json.Items(task, "healthCheckResults").Any(r => Json.Text(r, "alive") == "true"), $"Expected a live health check result:\n{task}");
        }
    }

    [Fact]
    public async Task A_failing_command_health_check_reports_the_running_task_unhealthy()
    {
        // With maxConsecutiveFailures 0 Marathon never kills the task for its failures, so it stays running and unhealthy.
        await using var app = await CreateAppAsync(NewAppId("unhealthy"), HealthChecked("false", maxConsecutiveFailures: 0, instances: 1));

        await Eventually.Until(() => GetAppAsync(app),
            a => Number(a, "tasksRunning") == 1 && Number(a, "tasksUnhealthy") == 1 && Number(a, "tasksHealthy") == 0,
            MarathonPatience, "a running, unhealthy task", a => a.ToString());
    }

    [Fact]
    public async Task A_task_finds_its_app_id_and_the_apps_env_in_its_environment()
    {
        await using var app = await CreateAppAsync(NewAppId("env"), new
        {
            cmd = "echo app=$MARATHON_APP_ID greeting=$GREETING; " + Idle,
            cpus = 0.1,
            mem = 32,
            instances = 1,
            env = new { GREETING = "hello" },
        });
        await WaitForDeployedAsync(app, 1);

        var pod = Json.Text(Assert.Single(await PodsAsync(app)), "metadata.name")!;

        await Eventually.Until(() => Run("logs", pod, "-n", Namespace), r => r.Stdout.Contains($"app={app.Id} greeting=hello\n", StringComparison.Ordinal),
            MarathonPatience, $"the task's environment in the log of {pod}");
    }

    [Fact]
    public async Task Each_change_is_a_version_and_a_put_of_a_version_rolls_the_app_back_to_it()
    {
        await using var app = await CreateAppAsync(NewAppId("versions"), new { cmd = Idle, cpus = 0.1, mem = 32, instances = 1, env = new { STAGE = "one" } });
        (await SendAsync("PUT", app.ApiPath, """{"env":{"STAGE":"two"}}""")).Expect(200);

        var versions = await VersionsAsync(app);
        Assert.Equal(2, versions.Count);
        Assert.True(string.CompareOrdinal(versions[0], versions[1]) > 0, $"Expected the newest version first: {string.Join(", ", versions)}");
        var first = (await SendAsync("GET", $"{app.ApiPath}/versions/{versions[1]}")).Expect(200).JsonBody();
        Check.Equal("one", Json.Text(first, "env.STAGE"), "env.STAGE of the first version");
        Check.Equal(versions[1], Json.Text(first, "version"), "the version of the first version");

        var rollback = (await SendAsync("PUT", app.ApiPath, $$"""{"version":"{{versions[1]}}"}""")).Expect(200).JsonBody();

        AssertChangeAnswer(rollback);
        Check.Equal("one", Json.Text(await GetAppAsync(app), "env.STAGE"), "env.STAGE after the rollback");
        Check.Equal(3, (await VersionsAsync(app)).Count, "the number of versions after the rollback");
        await WaitForDeployedAsync(app, 1);
    }

    [Fact]
    public async Task An_unknown_version_is_a_404_in_marathons_words_and_a_rollback_to_it_changes_nothing()
    {
        await using var app = await CreateAppAsync(NewAppId("noversion"), Idling(1));

        var missing = (await SendAsync("GET", $"{app.ApiPath}/versions/2001-01-01T00:00:00.000Z")).Expect(404).JsonBody();
        var rollback = (await SendAsync("PUT", app.ApiPath, """{"version":"2001-01-01T00:00:00.000Z"}""")).Expect(404).JsonBody();

        Check.Equal($"App '{app.Id}' does not exist in version 2001-01-01T00:00:00.000Z", Json.Text(missing, "message"), "the message of the 404");
        Check.Equal($"App '{app.Id}' does not exist", Json.Text(rollback, "message"), "the message of the rollback's 404");
        Check.Equal(1, (await VersionsAsync(app)).Count, "the number of versions");
    }

    [Fact]
    public async Task An_apps_versions_are_controller_revisions_deleted_with_it()
    {
        var app = await CreateAppAsync(NewAppId("revisions"), Idling(1));
        await using (app)
        {
            Check.Equal(1, (await RevisionsAsync(app)).Count, "the ControllerRevisions of the app");
        }

        await Eventually.Until(() => RevisionsAsync(app), revisions => revisions.Count == 0, MarathonPatience,
            $"the ControllerRevisions of {app.Id} collected with its Deployment", Describe);
    }

    [Fact]
    public async Task A_group_shows_its_apps_and_subgroups_and_deleting_it_removes_them()
    {
        var group = NewAppId("group");
        await using var web = await CreateAppAsync(group + "/web", Idling(1));
        await using var db = await CreateAppAsync(group + "/back/db", Idling(1));

        var shown = (await SendAsync("GET", "/v2/groups" + group)).Expect(200).JsonBody();
        var apps = Json.Items((await SendAsync("GET", $"/v2/groups{group}/apps")).Expect(200).JsonBody(), "");

        Check.Equal(group, Json.Text(shown, "id"), "the group's id");
        Check.Equal(web.Id, Json.Text(Assert.Single(Json.Items(shown, "apps")), "id"), "the group's app");
        var subgroup = Assert.Single(Json.Items(shown, "groups"));
        Check.Equal(group + "/back", Json.Text(subgroup, "id"), "the subgroup's id");
        Check.Equal(db.Id, Json.Text(Assert.Single(Json.Items(subgroup, "apps")), "id"), "the subgroup's app");
        Assert.Equal(new[] { web.Id, db.Id }.Order(StringComparer.Ordinal), Sorted(apps, "id"));

        var deletion = (await SendAsync("DELETE", "/v2/groups" + group)).Expect(200).JsonBody();

        AssertChangeAnswer(deletion);
        var gone = (await SendAsync("GET", "/v2/groups" + group)).Expect(404).JsonBody();
        Check.Equal($"Group '{group}' does not exist", Json.Text(gone, "message"), "the message of the 404");
        Assert.DoesNotContain(web.Id, await AppIdsAsync());
        Assert.DoesNotContain(db.Id, await AppIdsAsync());
    }

    [Fact]
    public async Task A_posted_group_runs_its_apps_and_puts_of_the_group_scale_them_and_remove_a_subgroup()
    {
        var group = NewAppId("posted");
        var body = new JsonObject
        {
            ["id"] = group,
            ["apps"] = new JsonArray(Definition("web", Idling(1))),
            ["groups"] = new JsonArray(new JsonObject { ["id"] = "back", ["apps"] = new JsonArray(Definition("db", Idling(1))) }),
        };

        var created = (await SendAsync("POST", "/v2/groups", body.ToJsonString())).Expect(201);
        await using var web = new App(this, group + "/web", created);
        await using var db = new App(this, group + "/back/db", created);

        AssertChangeAnswer(created.JsonBody());
        await WaitForDeployedAsync(web, 1);
        await WaitForDeployedAsync(db, 1);
        var again = (await SendAsync("POST", "/v2/groups", body.ToJsonString())).Expect(409).JsonBody();
        Check.Equal($"Group {group} is already created. Use PUT to change this group.", Json.Text(again, "message"), "the message of the 409");

        AssertChangeAnswer((await SendAsync("PUT", "/v2/groups" + group, """{"scaleBy":2}""")).Expect(200).JsonBody());
        await WaitForDeployedAsync(web, 2);
        await WaitForDeployedAsync(db, 2);

        (await SendAsync("PUT", "/v2/groups" + group, """{"groups":[]}""")).Expect(200);
        var left = await Eventually.Until(AppIdsAsync, ids => !ids.Contains(db.Id), MarathonPatience, $"{db.Id} removed with its subgroup",
            ids => string.Join(' ', ids));
        Assert.Contains(web.Id, left);
    }

    [Fact]
    public async Task A_forced_delete_of_a_deployment_cancels_it_with_202()
    {
        // A task that never becomes healthy holds its deployment under way.
        await using var app = await CreateAppAsync(NewAppId("cancel"), HealthChecked("false", maxConsecutiveFailures: 0, instances: 1));
        var deploymentId = app.Created.Header("Marathon-Deployment-Id")!;
        await Eventually.Until(async () => DeploymentsOf(app, await DeploymentsAsync()), found => found.Count == 1, MarathonPatience,
            $"the deployment of {app.Id} listed", Describe);

        (await SendAsync("DELETE", $"/v2/deployments/{deploymentId}?force=true")).Expect(202);

        Assert.Empty(DeploymentsOf(app, await DeploymentsAsync()));
        var missing = (await SendAsync("DELETE", $"/v2/deployments/{deploymentId}")).Expect(404).JsonBody();
        Check.Equal($"DeploymentPlan {deploymentId} does not exist", Json.Text(missing, "message"), "the message of the 404");
    }

    [Fact]
    public async Task Deleting_a_deployment_rolls_the_app_back_to_the_version_before_it()
    {
        await using var app = await CreateAppAsync(NewAppId("revert"), Idling(1));
        await WaitForDeployedAsync(app, 1);
        var change = (await SendAsync("PUT", app.ApiPath, JsonSerializer.Serialize(HealthChecked("false", maxConsecutiveFailures: 0, instances: 1)))).Expect(200).JsonBody();
        var deploymentId = Json.Text(change, "deploymentId")!;
        await Eventually.Until(async () => DeploymentsOf(app, await DeploymentsAsync()), found => found.Any(d => Json.Text(d, "id") == deploymentId),
            MarathonPatience, $"the deployment {deploymentId} listed", Describe);

        var revert = (await SendAsync("DELETE", $"/v2/deployments/{deploymentId}")).Expect(200).JsonBody();

        AssertChangeAnswer(revert);
        Assert.NotEqual(deploymentId, Json.Text(revert, "deploymentId"));
        var restored = await WaitForDeployedAsync(app, 1);
        Check.Equal(0, Json.At(restored, "healthChecks").GetArrayLength(), "the health checks of the restored app");
    }

    [Fact]
    public async Task Deleting_a_deployment_also_needs_the_right_to_change_its_app()
    {
        var ns = await CreateNamespaceAsync("marathon-rbac");
        await Eventually.Until(() => Run("get", "serviceaccount", "default", "-n", ns), r => r.Succeeded, Patience, "the default service account");
        var token = (await Ok("create", "token", "default", "-n", ns)).Stdout.Trim();
        await using var app = await CreateAppAsync(NewAppId("rbac"), Idling(1));
        await WaitForDeployedAsync(app, 1);
        var change = (await SendAsync("PUT", app.ApiPath, JsonSerializer.Serialize(HealthChecked("false", maxConsecutiveFailures: 0, instances: 1)))).Expect(200).JsonBody();
        var deploymentId = Json.Text(change, "deploymentId")!;
        var roles = new[] { ns + "-cancel", ns + "-change" };
        try
        {
            await GrantAsync(roles[0], ns, "delete", "/v2/deployments/*");

            // Until RBAC sees the binding the server's own check refuses, in Kubernetes' words; then Marathon's refuses.
            await Eventually.Until(() => SendAsync("DELETE", $"/v2/deployments/{deploymentId}", token: token),
                r => r.Status == 403 && Json.Text(r.JsonBody(), "message") == "Authorization Denied", MarathonPatience,
                "the cancel refused for want of the right to change the app", r => r.ToString());
            Assert.Contains(DeploymentsOf(app, await DeploymentsAsync()), d => Json.Text(d, "id") == deploymentId);

            await GrantAsync(roles[1], ns, "put", "/v2/apps" + app.Id);

            var revert = await Eventually.Until(() => SendAsync("DELETE", $"/v2/deployments/{deploymentId}", token: token), r => r.Status == 200,
                MarathonPatience, "the cancel allowed once the app may be changed", r => r.ToString());
            AssertChangeAnswer(revert.JsonBody());
        }
        finally
        {
            foreach (var role in roles)
            {
                await Run("delete", "clusterrolebinding,clusterrole", role, "--ignore-not-found");
            }
        }
    }

    /// <summary>An id under <c>/e2e</c> no other test (or earlier run on a kept data dir) uses.</summary>
    [Fact]
    public async Task An_apps_tasks_resolve_under_its_marathon_gantry_name()
    {
        await using var server = await CreateAppAsync(NewAppId("dns"), Idling(2));
        await WaitForDeployedAsync(server, 2);
        // Mesos-DNS's name of /e2e/dns-x: the segments last first, joined with dashes.
        var name = string.Join('-', server.Id.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) + ".marathon.gantry";
        await using var client = await CreateAppAsync(NewAppId("resolver"), new
        {
            cmd = $"trap 'exit 0' TERM; while true; do getent ahostsv4 {name} | awk '{{print $1}}' | sort -u | tr '\\n' ' '; echo; sleep 1; done",
            cpus = 0.1,
            mem = 32,
            instances = 1,
        });
        await WaitForDeployedAsync(client, 1);
        var addresses = string.Join(' ', (await TasksAsync(server)).Select(t => Json.Text(t, "ipAddresses[0].ipAddress")).Order(StringComparer.Ordinal)) + " ";
        var pod = Json.Text(Assert.Single(await PodsAsync(client)), "metadata.name")!;

        await Eventually.Until(() => Run("logs", pod, "-n", Namespace), r => r.Stdout.Contains("\n" + addresses + "\n", StringComparison.Ordinal),
            MarathonPatience, $"{name} resolving to the tasks' addresses {addresses}in the log of {pod}");
    }

    private static string NewAppId(string name) => $"/e2e/{name}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>A small app of idle tasks: the node's room is shared with every other test's pods.</summary>
    private static object Idling(int instances) => new { cmd = Idle, cpus = 0.1, mem = 32, instances };

    private static object HealthChecked(string command, int maxConsecutiveFailures, int instances) => new
    {
        cmd = Idle,
        cpus = 0.1,
        mem = 32,
        instances,
        healthChecks = new[]
        {
            new
            {
                protocol = "COMMAND",
                command = new { value = command },
                gracePeriodSeconds = 5,
                intervalSeconds = 2,
                timeoutSeconds = 2,
                maxConsecutiveFailures,
            },
        },
    };

    /// <summary>The app definition <paramref name="fields"/> with <paramref name="id"/> first.</summary>
    private static JsonObject Definition(string id, object fields)
    {
        var definition = new JsonObject { ["id"] = id };
        foreach (var (key, value) in JsonSerializer.SerializeToNode(fields)!.AsObject())
        {
            definition[key] = value?.DeepClone();
        }

        return definition;
    }

    /// <summary>POSTs the app and requires 201; disposing the result deletes the app.</summary>
    private async Task<App> CreateAppAsync(string id, object fields)
    {
        var created = (await SendAsync("POST", "/v2/apps", Definition(id, fields).ToJsonString())).Expect(201);
        return new App(this, "/" + id.Trim('/'), created);
    }

    private async Task<JsonElement> GetAppAsync(App app) => Json.At((await SendAsync("GET", app.ApiPath)).Expect(200).JsonBody(), "app");

    private async Task<IReadOnlyList<JsonElement>> TasksAsync(App app) =>
        Json.Items((await SendAsync("GET", app.ApiPath + "/tasks")).Expect(200).JsonBody(), "tasks");

    private async Task<IReadOnlyList<JsonElement>> DeploymentsAsync()
    {
        var deployments = (await SendAsync("GET", "/v2/deployments")).Expect(200).JsonBody();
        Assert.True(deployments.ValueKind == JsonValueKind.Array, $"/v2/deployments is not an array:\n{deployments}");
        return [.. deployments.EnumerateArray()];
    }

    private async Task<List<string>> VersionsAsync(App app) =>
        [.. Json.Items((await SendAsync("GET", app.ApiPath + "/versions")).Expect(200).JsonBody(), "versions").Select(v => v.GetString() ?? "")];

    /// <summary>The ControllerRevisions that keep the app's versions, found by the label they carry.</summary>
    private async Task<IReadOnlyList<JsonElement>> RevisionsAsync(App app) =>
        Json.Items(await GetJson("controllerrevisions", "-n", Namespace, "-l", $"{AppLabel}={app.Name}"), "items");

    private async Task<IReadOnlyList<string?>> AppIdsAsync() =>
        [.. Json.Items((await SendAsync("GET", "/v2/apps")).Expect(200).JsonBody(), "apps").Select(a => Json.Text(a, "id"))];

    /// <summary>Waits until the app runs <paramref name="instances"/> tasks and no deployment of it is under way; returns the app.</summary>
    private Task<JsonElement> WaitForDeployedAsync(App app, int instances) =>
        Eventually.Until(() => GetAppAsync(app), a => Deployed(a, instances), MarathonPatience, $"{app.Id} deployed with {instances} running tasks", a => a.ToString());

    /// <summary>The app's pods, found by the label its Deployment selects them with.</summary>
    private async Task<IReadOnlyList<JsonElement>> PodsAsync(App app) =>
        Json.Items(await GetJson("pods", "-n", Namespace, "-l", $"{AppLabel}={app.Name}"), "items");

    /// <summary>Neither the API nor the <c>marathon</c> namespace knows an app with <paramref name="id"/>.</summary>
    private async Task AssertNotCreatedAsync(string id)
    {
        Assert.DoesNotContain(id, await AppIdsAsync());
        var deployments = Json.Items(await GetJson("deployments", "-n", Namespace), "items");
        Assert.DoesNotContain(deployments, d =>
            d.GetProperty("metadata").TryGetProperty("annotations", out var annotations) &&
            annotations.TryGetProperty("marathon.gantry.io/app-id", out var appId) && appId.GetString() == id);
    }

    /// <summary>A change (scale, restart, delete) answers with the new version and the deployment that carries it out.</summary>
    private static void AssertChangeAnswer(JsonElement answer)
    {
        Assert.False(string.IsNullOrEmpty(Json.Text(answer, "version")), $"Expected a version in the answer:\n{answer}");
        Assert.False(string.IsNullOrEmpty(Json.Text(answer, "deploymentId")), $"Expected a deploymentId in the answer:\n{answer}");
    }

    private static bool Deployed(JsonElement app, int instances) =>
        Number(app, "tasksRunning") == instances && Json.Items(app, "deployments").Count == 0;

    private static List<JsonElement> DeploymentsOf(App app, IEnumerable<JsonElement> deployments) =>
        [.. deployments.Where(d => Json.Items(d, "affectedApps").Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == app.Id))];

    /// <summary>The number at <paramref name="path"/>; NaN when it is missing or not a number, which equals nothing.</summary>
    private static double Number(JsonElement element, string path) =>
        Json.Find(element, path) is { ValueKind: JsonValueKind.Number } number ? number.GetDouble() : double.NaN;

    private static List<string> TaskIds(IEnumerable<JsonElement> tasks) => [.. tasks.Select(t => Json.Text(t, "id") ?? "")];

    private static bool AllRunning(IEnumerable<JsonElement> tasks) => tasks.All(t => Json.Text(t, "state") == "TASK_RUNNING");

    private static List<string?> Sorted(IEnumerable<JsonElement> items, string path) => [.. items.Select(i => Json.Text(i, path)).Order(StringComparer.Ordinal)];

    private static string Describe(IEnumerable<JsonElement> items) => "[" + string.Join(",\n", items.Select(i => i.GetRawText())) + "]";

    /// <summary>A ClusterRole (and its binding, both named <paramref name="name"/>) granting the default account of <paramref name="ns"/> a verb on a path.</summary>
    private async Task GrantAsync(string name, string ns, string verb, string path)
    {
        await Ok("create", "clusterrole", name, "--verb=" + verb, "--non-resource-url=" + path);
        await Ok("create", "clusterrolebinding", name, "--clusterrole=" + name, $"--serviceaccount={ns}:default");
    }

    /// <summary>
    /// One call of the Marathon API with curl, as the admin unless <paramref name="token"/> is given; logged to the test
    /// output without the token. A request curl could not make (no answer at all) has status 0 and curl's account as its body.
    /// </summary>
    private async Task<MarathonResponse> SendAsync(string method, string path, string? body = null, string? token = null)
    {
        List<string> args =
        [
            "-sk", "-i", "--max-time", CurlTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture), "-X", method, "-w", "\n%{http_code}",
            "-H", "Authorization: Bearer " + (token ?? AdminToken()), "-H", "Accept: application/json",
        ];
        if (body is not null)
        {
            args.AddRange(["-H", "Content-Type: application/json", "--data-binary", "@-"]);
        }

        args.Add(Fixture.BaseUrl + path);
        var result = await ProcessRunner.RunAsync("curl", args, body, null, CurlTimeout + TimeSpan.FromSeconds(10));
        var request = body is null ? $"{method} {path}" : $"{method} {path} {body}";
        var response = result.Succeeded
            ? MarathonResponse.Parse(request, result.Stdout)
            : new MarathonResponse(request, 0, "", $"(no answer: curl exited {(result.TimedOut ? "by its deadline" : result.ExitCode)})\n{result.Stderr}\n{Fixture.ServerNote()}");
        Output.WriteLine(response.ToString());
        return response;
    }

    /// <summary>
    /// An app a test created. Disposing it deletes the app, forced so that a deployment still under way (say, of a task
    /// that never becomes healthy) does not hold the deletion; what the deletion answers is only logged.
    /// </summary>
    private sealed class App(MarathonTests test, string id, MarathonResponse created) : IAsyncDisposable
    {
        /// <summary>The app's absolute id.</summary>
        public string Id { get; } = id;

        /// <summary>The answer to the create.</summary>
        public MarathonResponse Created { get; } = created;

        /// <summary>The app's resource: <c>/v2/apps</c> and its id.</summary>
        public string ApiPath => "/v2/apps" + Id;

        /// <summary>The name of the app's Deployment (and its pods' label value): the id's segments joined with dots.</summary>
        public string Name => string.Join('.', Id.Split('/', StringSplitOptions.RemoveEmptyEntries));

        public async ValueTask DisposeAsync() => await test.SendAsync("DELETE", ApiPath + "?force=true");
    }

    /// <summary>One answer of the Marathon API: the request it answers (for failure messages), its status, headers and body.</summary>
    private sealed record MarathonResponse(string Request, int Status, string Headers, string Body)
    {
        /// <summary>Splits what <c>curl -i -w '\n%{http_code}'</c> printed: header blocks (an interim 100 first), the body, the status.</summary>
        public static MarathonResponse Parse(string request, string printed)
        {
            var statusAt = printed.LastIndexOf('\n');
            var text = printed[..statusAt];
            var headers = "";
            while (text.StartsWith("HTTP/", StringComparison.Ordinal) && text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0)
            {
                headers = text[..end];
                text = text[(end + 4)..];
            }

            return new MarathonResponse(request, int.Parse(printed[(statusAt + 1)..], CultureInfo.InvariantCulture), headers, text);
        }

        /// <summary>Requires the status; returns this answer.</summary>
        public MarathonResponse Expect(int status) =>
            Status == status ? this : throw new XunitException($"Expected HTTP {status}, got {Status}.\n{this}");

        /// <summary>The body, parsed; fails the test when it is not JSON.</summary>
        public JsonElement JsonBody()
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new XunitException($"The body is not JSON ({ex.Message}).\n{this}");
            }
        }

        /// <summary>The value of the header <paramref name="name"/> (case-insensitive, as HTTP/2 lower-cases them), or null.</summary>
        public string? Header(string name) =>
            Headers.Split('\n')
                .Select(line => line.Split(':', 2))
                .Where(pair => pair.Length == 2 && pair[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(pair => pair[1].Trim())
                .FirstOrDefault();

        /// <inheritdoc/>
        public override string ToString() => $"$ curl {Request}\n{Headers.TrimEnd()}\n{Body.TrimEnd()}\n→ HTTP {Status}";
    }
}
