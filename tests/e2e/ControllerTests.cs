using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// The workload controllers through the real kubectl: replication controllers, replica sets,
/// deployments (revisions, history, undo, pause) and jobs create and remove pods, and deleting an
/// owner deletes its pods; with the pod scheduler placing the pods, rollouts and jobs complete.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class ControllerTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly string[] SucceedCommand = ["true"];
    private static readonly string[] SleepCommand = ["sleep", "3600"];
    private static readonly string[] ShardCommand = ["sh", "-c", "echo shard $JOB_COMPLETION_INDEX on $(hostname)"];

    private static object Template(string app, string image = "busybox") => new
    {
        metadata = new { labels = new Dictionary<string, string> { ["app"] = app } },
        spec = new
        {
            terminationGracePeriodSeconds = 1,
            containers = new[] { new { name = "main", image, command = new[] { "sh", "-c", "sleep 3600" } } },
        },
    };

    private Task<IReadOnlyList<string>> PodsOf(string ns, string app) => Names(ns, "pods", "-l", "app=" + app);

    private async Task UntilPodCount(string ns, string app, int count) =>
        await Eventually.Until(() => PodsOf(ns, app), pods => pods.Count == count, Patience, $"{count} pods with app={app}",
            pods => string.Join(", ", pods));

    private Task<CommandResult> CreateDeploymentAsync(string ns, string name, int replicas, string? autoRollback = null, int? progressDeadline = null) =>
        CreateObjectAsync(ns, new
        {
            apiVersion = "apps/v1",
            kind = "Deployment",
            metadata = new
            {
                name,
                annotations = autoRollback is null ? null : new Dictionary<string, string> { ["deployment.gantry.io/auto-rollback"] = autoRollback },
            },
            spec = new
            {
                replicas,
                progressDeadlineSeconds = progressDeadline,
                selector = new { matchLabels = new Dictionary<string, string> { ["app"] = name } },
                template = Template(name),
            },
        });

    [Fact]
    public async Task A_replication_controller_keeps_its_replicas_through_scaling_and_pod_deletion()
    {
        var ns = await CreateNamespaceAsync("ctl-rc");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "v1",
            kind = "ReplicationController",
            metadata = new { name = "rc" },
            spec = new { replicas = 3, selector = new Dictionary<string, string> { ["app"] = "rc" }, template = Template("rc") },
        });
        await UntilPodCount(ns, "rc", 3);

        await Ok("scale", "rc", "rc", "-n", ns, "--replicas=6");
        await UntilPodCount(ns, "rc", 6);

        var victim = (await PodsOf(ns, "rc"))[0];
        await Ok("delete", "pod", victim, "-n", ns, "--wait=false");
        await Eventually.Until(() => PodsOf(ns, "rc"), pods => pods.Count == 6 && !pods.Contains(victim), Patience, "a replacement pod");
        Check.Equal("6", await JsonPath(ns, "rc/rc", "{.status.replicas}"), "status.replicas");

        await Ok("delete", "rc", "rc", "-n", ns, "--wait=false");
        await UntilPodCount(ns, "rc", 0);
    }

    [Fact]
    public async Task Deleting_a_replica_set_deletes_its_pods()
    {
        var ns = await CreateNamespaceAsync("ctl-rs");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "apps/v1",
            kind = "ReplicaSet",
            metadata = new { name = "rs" },
            spec = new { replicas = 2, selector = new { matchLabels = new Dictionary<string, string> { ["app"] = "rs" } }, template = Template("rs") },
        });
        await UntilPodCount(ns, "rs", 2);
        var owner = await JsonPath(ns, "pods", "{.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name}");
        Assert.Equal("ReplicaSet/rs", owner);

        await Ok("delete", "rs", "rs", "-n", ns, "--wait=false");

        await UntilPodCount(ns, "rs", 0);
    }

    [Fact]
    public async Task Set_image_makes_a_second_revision_and_undo_restores_the_first_template()
    {
        var ns = await CreateNamespaceAsync("ctl-deploy");
        await CreateDeploymentAsync(ns, "web", 2);
        await UntilPodCount(ns, "web", 2);
        await Eventually.Until(() => Names(ns, "rs"), rs => rs.Count == 1, Patience, "the first replica set");

        await Ok("set", "image", "deployment/web", "main=busybox:1.36", "-n", ns);
        await Eventually.Until(() => Names(ns, "rs"), rs => rs.Count == 2, Patience, "a second replica set");

        var history = await Eventually.Until(() => Run("rollout", "history", "deployment/web", "-n", ns),
            r => r.ExitCode == 0 && r.Stdout.Contains('1') && r.Stdout.Contains('2'), Patience, "two revisions in the history", r => r.Describe());
        Check.StdoutContains(history, "REVISION");
        Check.Equal("2", await JsonPath(ns, "deployment/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"), "revision");

        await Ok("rollout", "undo", "deployment/web", "-n", ns);

        Check.Equal("busybox", await JsonPath(ns, "deployment/web", "{.spec.template.spec.containers[0].image}"), "image after undo");
        await Eventually.Until(() => JsonPath(ns, "deployment/web", "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"),
            r => r == "3", Patience, "revision 3 after the undo");
    }

    [Fact]
    public async Task A_paused_deployment_does_not_roll_out_until_resumed()
    {
        var ns = await CreateNamespaceAsync("ctl-pause");
        await CreateDeploymentAsync(ns, "paused", 1);
        await Eventually.Until(() => Names(ns, "rs"), rs => rs.Count == 1, Patience, "the first replica set");

        await Ok("rollout", "pause", "deployment/paused", "-n", ns);
        await Ok("set", "image", "deployment/paused", "main=busybox:1.36", "-n", ns);
        await Eventually.Until(() => JsonPath(ns, "deployment/paused", "{.status.conditions[?(@.type==\"Progressing\")].reason}"),
            r => r == "DeploymentPaused", Patience, "the DeploymentPaused condition");
        Assert.Single(await Names(ns, "rs"));

        await Ok("rollout", "resume", "deployment/paused", "-n", ns);
        await Eventually.Until(() => Names(ns, "rs"), rs => rs.Count == 2, Patience, "the rollout after resuming");
    }

    [Fact]
    public async Task A_job_creates_its_pods_up_to_parallelism()
    {
        var ns = await CreateNamespaceAsync("ctl-job");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "batch/v1",
            kind = "Job",
            metadata = new { name = "job" },
            spec = new
            {
                completions = 4,
                parallelism = 2,
                template = new
                {
                    metadata = new { labels = new Dictionary<string, string> { ["app"] = "job" } },
                    spec = new { restartPolicy = "Never", terminationGracePeriodSeconds = 1, containers = new[] { new { name = "main", image = "busybox", command = SleepCommand } } },
                },
            },
        });

        await UntilPodCount(ns, "job", 2);
        Check.Equal("2", await Eventually.Until(() => JsonPath(ns, "job/job", "{.status.active}"), r => r == "2", Patience, "status.active"), "active");
    }

    [Fact]
    public async Task Rollout_status_completes_when_the_new_pods_are_available()
    {
        var ns = await CreateNamespaceAsync("ctl-status");
        await CreateDeploymentAsync(ns, "ready", 2);

        var status = await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) }, "rollout", "status", "deployment/ready", "-n", ns, "--timeout=120s");

        Check.StdoutContains(status, "deployment \"ready\" successfully rolled out");
    }

    [Fact]
    public async Task A_job_completes_after_its_completions_succeed()
    {
        var ns = await CreateNamespaceAsync("ctl-job-done");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "batch/v1",
            kind = "Job",
            metadata = new { name = "done" },
            spec = new
            {
                completions = 2,
                template = new { spec = new { restartPolicy = "Never", containers = new[] { new { name = "main", image = "busybox", command = SucceedCommand } } } },
            },
        });

        await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) }, "wait", "--for=condition=complete", "job/done", "-n", ns, "--timeout=120s");
        Check.Equal("2", await JsonPath(ns, "job/done", "{.status.succeeded}"), "succeeded");
    }

    [Fact]
    public async Task A_completed_job_keeps_its_succeeded_count_after_its_pods_are_deleted()
    {
        var ns = await CreateNamespaceAsync("ctl-job-counted");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "batch/v1",
            kind = "Job",
            metadata = new { name = "counted" },
            spec = new
            {
                completions = 2,
                parallelism = 2,
                template = new { spec = new { restartPolicy = "Never", containers = new[] { new { name = "main", image = "busybox", command = SucceedCommand } } } },
            },
        });
        await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) }, "wait", "--for=condition=complete", "job/counted", "-n", ns, "--timeout=120s");
        Check.Equal("", await JsonPath(ns, "pods", "{.items[*].metadata.finalizers}"), "the finished pods' finalizers, removed once counted");

        await Ok("delete", "pods", "--all", "-n", ns);
        await Eventually.Until(() => Names(ns, "pods"), pods => pods.Count == 0, Patience, "the job's pods deleted");

        Check.Equal("2", await JsonPath(ns, "job/counted", "{.status.succeeded}"), "succeeded");
    }

    [Fact]
    public async Task A_job_past_its_deadline_fails_once_the_running_pods_it_deleted_have_stopped()
    {
        var ns = await CreateNamespaceAsync("ctl-job-deadline");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "batch/v1",
            kind = "Job",
            metadata = new { name = "late" },
            spec = new
            {
                parallelism = 2,
                activeDeadlineSeconds = 10,
                template = new
                {
                    metadata = new { labels = new Dictionary<string, string> { ["app"] = "late" } },
                    spec = new { restartPolicy = "Never", terminationGracePeriodSeconds = 2, containers = new[] { new { name = "main", image = "busybox", command = SleepCommand } } },
                },
            },
        });
        await UntilPodCount(ns, "late", 2);

        await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) }, "wait", "--for=condition=failed", "job/late", "-n", ns, "--timeout=120s");

        var conditions = await JsonPath(ns, "job/late", "{range .status.conditions[*]}{.type}={.reason} {end}");
        Check.Equal("FailureTarget=DeadlineExceeded Failed=DeadlineExceeded", conditions.Trim(), "conditions");
        Check.Equal("0", await JsonPath(ns, "job/late", "{.status.terminating}"), "terminating");
        Check.Equal("2", await JsonPath(ns, "job/late", "{.status.failed}"), "failed");
        Check.Equal("", await JsonPath(ns, "pods", "{.items[?(@.status.phase!=\"Failed\")].metadata.name}"), "the job's pods not stopped once it failed");
    }

    [Theory]
    [InlineData("background")]
    [InlineData("foreground")]
    public async Task Deleting_a_running_job_deletes_its_pods_despite_their_tracking_finalizer(string cascade)
    {
        var ns = await CreateNamespaceAsync("ctl-job-" + cascade);
        await CreateObjectAsync(ns, new
        {
            apiVersion = "batch/v1",
            kind = "Job",
            metadata = new { name = "running" },
            spec = new
            {
                parallelism = 2,
                template = new
                {
                    metadata = new { labels = new Dictionary<string, string> { ["app"] = "running" } },
                    spec = new { restartPolicy = "Never", terminationGracePeriodSeconds = 1, containers = new[] { new { name = "main", image = "busybox", command = SleepCommand } } },
                },
            },
        });
        await UntilPodCount(ns, "running", 2);
        Check.Equal("batch.kubernetes.io/job-tracking batch.kubernetes.io/job-tracking",
            await JsonPath(ns, "pods", "{.items[*].metadata.finalizers[*]}"), "the running pods' finalizers");

        await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) }, "delete", "job/running", "-n", ns, "--cascade=" + cascade, "--timeout=120s");

        await UntilPodCount(ns, "running", 0);
    }

    [Fact]
    public async Task An_indexed_job_gives_each_pod_its_completion_index()
    {
        var ns = await CreateNamespaceAsync("ctl-job-indexed");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "batch/v1",
            kind = "Job",
            metadata = new { name = "shards" },
            spec = new
            {
                completions = 3,
                parallelism = 3,
                completionMode = "Indexed",
                template = new
                {
                    spec = new
                    {
                        restartPolicy = "Never",
                        containers = new[] { new { name = "main", image = "busybox", command = ShardCommand } },
                    },
                },
            },
        });

        await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) }, "wait", "--for=condition=complete", "job/shards", "-n", ns, "--timeout=120s");

        Check.Equal("0-2", await JsonPath(ns, "job/shards", "{.status.completedIndexes}"), "completedIndexes");
        var logs = new List<string>();
        foreach (var pod in await Names(ns, "pods"))
        {
            logs.Add((await Ok("logs", pod, "-n", ns)).Stdout.Trim());
        }

        Assert.Equal(["shard 0 on shards-0", "shard 1 on shards-1", "shard 2 on shards-2"], logs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_job_made_from_a_cronjob_runs_its_template_to_completion()
    {
        var ns = await CreateNamespaceAsync("ctl-cronjob");
        await Ok("create", "cronjob", "hello", "--image=busybox", "--schedule=*/1 * * * *", "-n", ns, "--", "echo", "hi");

        var table = await Ok("get", "cronjob", "hello", "-n", ns);
        Check.Equal("NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE", string.Join(' ', Cells(table.StdoutLines[0])), "columns");
        Check.StdoutContains(table, "*/1 * * * *");

        // Rather than wait up to a minute for the schedule, run the template now, as kubectl does.
        await Ok("create", "job", "now", "--from=cronjob/hello", "-n", ns);
        await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) }, "wait", "--for=condition=complete", "job/now", "-n", ns, "--timeout=120s");
        Check.Equal("CronJob/hello", await JsonPath(ns, "job/now", "{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}"), "owner");
    }

    [Fact]
    public async Task A_finished_job_with_a_ttl_is_deleted_with_its_pods()
    {
        var ns = await CreateNamespaceAsync("ctl-job-ttl");
        await CreateObjectAsync(ns, new
        {
            apiVersion = "batch/v1",
            kind = "Job",
            metadata = new { name = "brief" },
            spec = new
            {
                ttlSecondsAfterFinished = 1,
                template = new { spec = new { restartPolicy = "Never", containers = new[] { new { name = "main", image = "busybox", command = SucceedCommand } } } },
            },
        });

        await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) }, "wait", "--for=delete", "job/brief", "-n", ns, "--timeout=120s");
        await Eventually.Until(() => Names(ns, "pods"), pods => pods.Count == 0, Patience, "the job's pods gone with it");
    }

    [Fact]
    public async Task An_opted_in_deployment_that_misses_its_deadline_rolls_back()
    {
        var ns = await CreateNamespaceAsync("ctl-autoroll");
        await CreateDeploymentAsync(ns, "auto", 1, autoRollback: "true", progressDeadline: 10);
        await Ok(new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) }, "rollout", "status", "deployment/auto", "-n", ns, "--timeout=120s");

        await Ok("set", "image", "deployment/auto", "main=gantry.invalid/no-such-image", "-n", ns);

        await Eventually.Until(() => JsonPath(ns, "deployment/auto", "{.spec.template.spec.containers[0].image}"), r => r == "busybox",
            TimeSpan.FromSeconds(60), "the automatic rollback to busybox");
    }

    [Fact]
    public async Task An_applied_daemonset_runs_one_pod_on_the_node_and_rolls_to_a_new_image()
    {
        var ns = await CreateNamespaceAsync("ctl-daemonset");
        await Ok("apply", "-f", Manifest("daemonset-agent.yaml"), "-n", ns);
        var rollout = new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) };

        Check.StdoutContains(await Ok(rollout, "rollout", "status", "ds/agent", "-n", ns, "--timeout=120s"), "daemon set \"agent\" successfully rolled out");
        var table = await Ok("get", "ds", "agent", "-n", ns);
        Check.Equal("NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE", string.Join(' ', Cells(table.StdoutLines[0])), "columns");
        Check.Equal("agent 1 1 1 1 1 <none>", string.Join(' ', Cells(table.StdoutLines[1])[..7]), "counts");
        var node = await Ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}");
        Check.Equal(node.Stdout.Trim(), await JsonPath(ns, "pods", "{.items[0].spec.nodeName}"), "node");

        await Ok("set", "image", "ds/agent", "main=busybox:latest", "-n", ns);
        Check.Equal("sleep 3600", await JsonPath(ns, "ds/agent", "{.spec.template.spec.containers[0].command[2]}"), "command kept by the patch");
        Check.StdoutContains(await Ok(rollout, "rollout", "status", "ds/agent", "-n", ns, "--timeout=120s"), "daemon set \"agent\" successfully rolled out");
        await UntilPodCount(ns, "agent", 1);
        Check.Equal("busybox:latest", await JsonPath(ns, "pods", "{.items[0].spec.containers[0].image}"), "image");
    }

    [Fact]
    public async Task A_daemonset_keeps_its_rollout_history_and_is_undone_to_the_first_image()
    {
        var ns = await CreateNamespaceAsync("ctl-dshistory");
        await Ok("apply", "-f", Manifest("daemonset-agent.yaml"), "-n", ns);
        var rollout = new KubectlOptions { Timeout = TimeSpan.FromSeconds(130) };
        await Ok(rollout, "rollout", "status", "ds/agent", "-n", ns, "--timeout=120s");
        await Ok("set", "image", "ds/agent", "main=busybox:latest", "-n", ns);
        await Ok(rollout, "rollout", "status", "ds/agent", "-n", ns, "--timeout=120s");

        Check.Equal("1 2", Revisions(await Ok("rollout", "history", "ds/agent", "-n", ns)), "revisions before the undo");
        var first = await Ok("rollout", "history", "ds/agent", "-n", ns, "--revision=1");
        Check.StdoutContains(first, "busybox");
        Check.Equal(false, first.Stdout.Contains("busybox:latest", StringComparison.Ordinal), "revision 1 holds the first image");
        Check.StdoutContains(await Ok("rollout", "undo", "ds/agent", "-n", ns), "rolled back");
        await Ok(rollout, "rollout", "status", "ds/agent", "-n", ns, "--timeout=120s");
        await UntilPodCount(ns, "agent", 1);

        Check.Equal("busybox", await JsonPath(ns, "ds/agent", "{.spec.template.spec.containers[0].image}"), "template image");
        Check.Equal("busybox", await JsonPath(ns, "pods", "{.items[0].spec.containers[0].image}"), "pod image");
        Check.Equal("2 3", Revisions(await Ok("rollout", "history", "ds/agent", "-n", ns)), "revisions after the undo: the first one renumbered");
        Check.StdoutContains(await Ok("rollout", "undo", "ds/agent", "-n", ns, "--to-revision=3"), "skipped rollback (current template already matches revision 3)");
        var table = await Ok("get", "controllerrevisions", "-n", ns, "--sort-by=.revision");
        Check.Equal("NAME CONTROLLER REVISION AGE", string.Join(' ', Cells(table.StdoutLines[0])), "columns");
        Check.Equal("daemonset.apps/agent 3", string.Join(' ', Cells(table.StdoutLines[2])[1..3]), "the current revision");
    }
}
