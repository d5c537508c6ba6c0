using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using Gantry.Server.Mesos;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Mesos;

public sealed class TaskLaunchTests
{
    private static readonly TaskOwner Owner = new("fw-1", "spark", TimeSpan.FromMinutes(1));

    /// <summary>A TaskInfo for agent n1 with a shell command, <paramref name="extra"/>'s fields added or replacing its own.</summary>
    private static JsonObject TaskInfo(string extra = "")
    {
        var task = JsonNode.Parse("""
            {"name":"t","task_id":{"value":"web-1"},"agent_id":{"value":"n1"},"command":{"value":"echo hi"},
             "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}},{"name":"mem","type":"SCALAR","scalar":{"value":64}}]}
            """)!.AsObject();
        if (extra.Length > 0)
        {
            foreach (var (name, value) in JsonNode.Parse(extra)!.AsObject().ToList())
            {
                task[name] = value?.DeepClone();
            }
        }

        return task;
    }

    private static V1Pod Launch(JsonObject task)
    {
        var pod = TaskLaunch.Pod(task, Owner, "n1", out var error);
        Assert.Null(error);
        return pod!;
    }

    private static string Refusal(JsonObject task, string agent = "n1")
    {
        var pod = TaskLaunch.Pod(task, Owner, agent, out var error);
        Assert.Null(pod);
        return error!;
    }

    [Fact]
    public void A_task_without_resources_is_refused_as_mesos_refuses_it() =>
        Assert.Equal("Task uses no resources", Refusal(TaskInfo("""{"resources":[]}""")));

    [Fact]
    public void A_shell_command_runs_under_sh_as_a_host_process_that_is_never_restarted()
    {
        var pod = Launch(TaskInfo());

        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(["/bin/sh", "-c", "echo hi"], container.Command);
        Assert.Null(container.Args);
        Assert.Equal("process", pod.Spec.RuntimeClassName);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
    }

    [Fact]
    public void The_pod_is_bound_to_the_offers_agent_and_placed_by_no_scheduler_of_gantrys()
    {
        var pod = Launch(TaskInfo());

        Assert.Equal("n1", pod.Spec.NodeName);
        Assert.Equal(PodFramework.SchedulerName, pod.Spec.SchedulerName);
    }

    [Fact]
    public void The_pod_lives_in_the_mesos_namespace_labelled_with_its_framework_and_annotated_with_its_task_id()
    {
        var pod = Launch(TaskInfo());

        Assert.Equal("mesos", pod.Metadata.NamespaceProperty);
        Assert.Equal("fw-1", pod.Metadata.Labels[PodFramework.Label]);
        Assert.Equal("web-1", pod.Metadata.Annotations[TaskPods.TaskIdAnnotation]);
        Assert.Equal("spark", pod.Metadata.Annotations[TaskPods.FrameworkNameAnnotation]);
        Assert.Equal("60", pod.Metadata.Annotations[TaskPods.FailoverTimeoutAnnotation]);
    }

    [Fact]
    public void Cpus_are_a_request_in_millicores_and_mem_is_both_request_and_limit_in_bytes()
    {
        var resources = Assert.Single(Launch(TaskInfo()).Spec.Containers).Resources;

        Assert.Equal("500m", resources.Requests["cpu"].ToString());
        Assert.Equal(67_108_864m, resources.Requests["memory"].ToDecimal());
        Assert.Equal(67_108_864m, resources.Limits["memory"].ToDecimal());
        Assert.False(resources.Limits.ContainsKey("cpu"));
    }

    [Fact]
    public void A_command_that_is_not_a_shell_runs_its_value_with_the_arguments_after_argv0()
    {
        var pod = Launch(TaskInfo("""{"command":{"shell":false,"value":"/bin/echo","arguments":["echo","a","b"]}}"""));

        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(["/bin/echo"], container.Command);
        Assert.Equal(["a", "b"], container.Args);
    }

    [Fact]
    public void A_docker_image_runs_in_a_container_of_that_image_without_a_runtime_class()
    {
        var pod = Launch(TaskInfo("""{"container":{"type":"DOCKER","docker":{"image":"alpine:3.20"}}}"""));

        Assert.Equal("alpine:3.20", Assert.Single(pod.Spec.Containers).Image);
        Assert.Null(pod.Spec.RuntimeClassName);
    }

    [Fact]
    public void The_commands_environment_is_kept_and_the_mesos_ids_are_added()
    {
        var pod = Launch(TaskInfo("""{"command":{"value":"env","environment":{"variables":[{"name":"GREETING","value":"hello"}]}}}"""));

        var environment = Assert.Single(pod.Spec.Containers).Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("hello", environment["GREETING"]);
        Assert.Equal("web-1", environment["MESOS_TASK_ID"]);
        Assert.Equal("fw-1", environment["MESOS_FRAMEWORK_ID"]);
        Assert.Equal("n1", environment["MESOS_AGENT_ID"]);
    }

    [Fact]
    public void A_kill_policys_grace_period_becomes_the_pods_termination_grace_period()
    {
        var pod = Launch(TaskInfo("""{"kill_policy":{"grace_period":{"nanoseconds":10000000000}}}"""));

        Assert.Equal(10, pod.Spec.TerminationGracePeriodSeconds);
    }

    [Fact]
    public void A_grace_period_written_as_protobufs_json_writes_64_bit_integers_is_read_as_well()
    {
        var pod = Launch(TaskInfo("""{"kill_policy":{"grace_period":{"nanoseconds":"10000000000"}}}"""));

        Assert.Equal(10, pod.Spec.TerminationGracePeriodSeconds);
    }

    [Fact]
    public void Without_a_kill_policy_a_task_has_the_command_executors_three_seconds()
    {
        Assert.Equal(3, Launch(TaskInfo()).Spec.TerminationGracePeriodSeconds);
    }

    [Fact]
    public void An_empty_task_id_is_refused()
    {
        Assert.Equal("Task ID must not be empty", Refusal(TaskInfo("""{"task_id":{"value":""}}""")));
    }

    [Fact]
    public void A_task_id_with_a_slash_is_refused()
    {
        Assert.Equal("Task ID cannot contain '/'", Refusal(TaskInfo("""{"task_id":{"value":"a/b"}}""")));
    }

    [Fact]
    public void A_task_for_another_agent_than_the_offers_is_refused()
    {
        Assert.Equal("Task uses agent ID 'n1' which does not match the offer's agent ID 'n2'", Refusal(TaskInfo(), agent: "n2"));
    }

    [Fact]
    public void A_task_with_neither_command_nor_executor_is_refused()
    {
        var task = TaskInfo();
        task.Remove("command");

        Assert.Equal("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present", Refusal(task));
    }

    [Fact]
    public void A_task_with_both_command_and_executor_is_refused()
    {
        var task = TaskInfo("""{"executor":{"executor_id":{"value":"e"},"command":{"value":"run"}}}""");

        Assert.Equal("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present", Refusal(task));
    }

    [Fact]
    public void A_task_with_an_executor_is_refused()
    {
        var task = TaskInfo("""{"executor":{"executor_id":{"value":"e"},"command":{"value":"run"}}}""");
        task.Remove("command");

        Assert.Equal("Gantry runs tasks without executors: give the task a CommandInfo instead of an ExecutorInfo", Refusal(task));
    }

    [Fact]
    public void A_task_asking_for_ports_is_refused()
    {
        var task = TaskInfo("""{"resources":[{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31000}]}}]}""");

        Assert.Equal("Resource 'ports' of type RANGES is not offered by Gantry (it offers the scalars cpus, mem, disk and gpus)", Refusal(task));
    }

    [Fact]
    public void A_negative_scalar_is_refused()
    {
        var task = TaskInfo("""{"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":-1}}]}""");

        Assert.Equal("Invalid scalar value for resource 'cpus'", Refusal(task));
    }

    [Fact]
    public void A_field_of_the_wrong_json_type_makes_the_task_malformed()
    {
        var error = Refusal(TaskInfo("""{"command":{"value":5}}"""));

        Assert.StartsWith("Task is malformed: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pod_is_named_by_its_task_id()
    {
        var pod = Launch(TaskInfo());

        Assert.Matches("^web-1-[a-z0-9]{5}$", pod.Metadata.Name);
    }

    [Theory]
    [InlineData("Web_Server.1", "web-server-1")]
    [InlineData("--a--b--", "a-b")]
    [InlineData("ÉTÉ", "t")]
    public void A_pod_name_is_the_task_id_made_a_dns_label_with_a_random_end(string taskId, string stem)
    {
        Assert.Matches($"^{stem}-[bcdfghjklmnpqrstvwxz2456789]{{5}}$", TaskPods.PodName(taskId));
    }

    [Fact]
    public void A_task_id_with_nothing_usable_in_a_pod_name_is_named_task()
    {
        Assert.Matches("^task-[a-z0-9]{5}$", TaskPods.PodName("___"));
    }

    [Fact]
    public void A_long_task_id_makes_a_pod_name_short_enough_for_a_dns_label()
    {
        var name = TaskPods.PodName(new string('x', 300));

        Assert.Equal(50 + 6, name.Length);
    }

    [Fact]
    public void The_same_task_id_makes_a_new_pod_name_each_time()
    {
        var names = Enumerable.Range(0, 5).Select(_ => TaskPods.PodName("web")).ToHashSet();

        Assert.True(names.Count > 1);
    }
}
