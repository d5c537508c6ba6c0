using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Tables;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class TableConverterTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Deployments = ResourceCatalog.Get("apps", "deployments");

    [Fact]
    public void Pod_table_has_kubectl_columns_with_the_wide_ones_at_priority_one()
    {
        var table = TableConverter.ForList(Pods, [], Now, IncludeObjectPolicy.Metadata, "42", null);

        var columns = table["columnDefinitions"]!.AsArray();
        Assert.Equal(
            "Name,Ready,Status,Restarts,Age,IP,Node,Nominated Node,Readiness Gates",
            string.Join(",", columns.Select(c => (string?)c!["name"])));
        Assert.Equal("000001111", string.Concat(columns.Select(c => (int)c!["priority"]!)));
        Assert.Equal("name", (string?)columns[0]!["format"]);
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Assert.Equal("42", (string?)table["metadata"]!["resourceVersion"]);
        Assert.Empty(table["rows"]!.AsArray());
    }

    [Fact]
    public void Running_pod_shows_ready_containers_restarts_and_age()
    {
        var pod = Pod("""
            {"phase": "Running", "podIPs": [{"ip": "10.0.0.5"}],
              "conditions": [{"type": "Ready", "status": "True"}],
              "containerStatuses": [
                {"name": "a", "ready": true, "restartCount": 2, "state": {"running": {}},
                 "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2025-06-01T11:58:00Z"}}},
                {"name": "b", "ready": true, "restartCount": 0, "state": {"running": {}}}]}
            """, containers: 2);

        var cells = Cells(Pods, pod);

        Assert.Equal("web", (string?)cells[0]);
        Assert.Equal("2/2", (string?)cells[1]);
        Assert.Equal("Running", (string?)cells[2]);
        Assert.Equal("2 (2m ago)", (string?)cells[3]);
        Assert.Equal("3m2s", (string?)cells[4]);
        Assert.Equal("10.0.0.5", (string?)cells[5]);
        Assert.Equal("node-1", (string?)cells[6]);
        Assert.Equal("<none>", (string?)cells[7]);
        Assert.Equal("<none>", (string?)cells[8]);
    }

    [Fact]
    public void Waiting_container_reason_becomes_the_pod_status()
    {
        var pod = Pod("""
            {"phase": "Running", "containerStatuses": [
              {"name": "a", "ready": false, "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
            """);

        var cells = Cells(Pods, pod);

        Assert.Equal("0/1", (string?)cells[1]);
        Assert.Equal("CrashLoopBackOff", (string?)cells[2]);
        Assert.Equal("4", (string?)cells[3]);
    }

    [Fact]
    public void Pending_pod_without_statuses_shows_its_phase()
    {
        var cells = Cells(Pods, Pod("""
            {"phase": "Pending"}
            """));

        Assert.Equal("0/1", (string?)cells[1]);
        Assert.Equal("Pending", (string?)cells[2]);
    }

    [Fact]
    public void Succeeded_pod_is_completed_and_marked_so_in_the_row_conditions()
    {
        var pod = Pod("""
            {"phase": "Succeeded", "containerStatuses": [
              {"name": "a", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}
            """);

        var row = TableConverter.ForObject(Pods, pod, Now, IncludeObjectPolicy.Metadata)["rows"]![0]!;

        Assert.Equal("Completed", (string?)row["cells"]![2]);
        Assert.Equal("Completed", (string?)row["conditions"]![0]!["type"]);
        Assert.Equal("Succeeded", (string?)row["conditions"]![0]!["reason"]);
    }

    [Fact]
    public void Pod_waiting_for_its_init_containers_shows_init_progress()
    {
        var pod = Pod(spec: """{"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "a"}]}""", status: """
            {"phase": "Pending", "initContainerStatuses": [
              {"name": "i1", "restartCount": 0, "state": {"terminated": {"exitCode": 0}}},
              {"name": "i2", "restartCount": 0, "state": {"running": {}}}],
              "containerStatuses": [{"name": "a", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}]}
            """);

        Assert.Equal("Init:1/2", (string?)Cells(Pods, pod)[2]);
    }

    [Fact]
    public void Failed_init_container_shows_its_reason()
    {
        var pod = Pod(spec: """{"initContainers": [{"name": "i1"}], "containers": [{"name": "a"}]}""", status: """
            {"phase": "Pending", "initContainerStatuses": [
              {"name": "i1", "restartCount": 3, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
            """);

        Assert.Equal("Init:CrashLoopBackOff", (string?)Cells(Pods, pod)[2]);
    }

    [Fact]
    public void Deleted_pod_that_still_runs_is_terminating()
    {
        var pod = Pod("""
            {"phase": "Running", "containerStatuses": [
              {"name": "a", "ready": true, "restartCount": 0, "state": {"running": {}}}]}
            """, deleting: true);

        Assert.Equal("Terminating", (string?)Cells(Pods, pod)[2]);
    }

    [Fact]
    public void Sidecar_init_containers_count_towards_ready_containers()
    {
        var pod = Pod(spec: """{"initContainers": [{"name": "proxy", "restartPolicy": "Always"}], "containers": [{"name": "a"}]}""", status: """
            {"phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}],
              "initContainerStatuses": [{"name": "proxy", "ready": true, "started": true, "restartCount": 1, "state": {"running": {}}}],
              "containerStatuses": [{"name": "a", "ready": true, "restartCount": 0, "state": {"running": {}}}]}
            """);

        var cells = Cells(Pods, pod);

        Assert.Equal("2/2", (string?)cells[1]);
        Assert.Equal("Running", (string?)cells[2]);
        Assert.Equal("1", (string?)cells[3]);
    }

    [Fact]
    public void Deployment_table_shows_ready_over_desired_and_the_template_when_wide()
    {
        var deployment = JsonNode.Parse("""
            {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": "nginx", "namespace": "default", "resourceVersion": "12", "creationTimestamp": "2025-05-30T09:00:00Z"},
             "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "front"]}]},
               "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}, {"name": "log", "image": "busybox"}]}}},
             "status": {"replicas": 3, "readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}}
            """)!.AsObject();

        var table = TableConverter.ForObject(Deployments, deployment, Now, IncludeObjectPolicy.Metadata);

        Assert.Equal(
            "Name,Ready,Up-to-date,Available,Age,Containers,Images,Selector",
            string.Join(",", table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"])));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("nginx", (string?)cells[0]);
        Assert.Equal("2/3", (string?)cells[1]);
        Assert.Equal(3L, (long)cells[2]!);
        Assert.Equal(2L, (long)cells[3]!);
        Assert.Equal("2d3h", (string?)cells[4]);
        Assert.Equal("nginx,log", (string?)cells[5]);
        Assert.Equal("nginx:1.27,busybox", (string?)cells[6]);
        Assert.Equal("app=nginx,tier in (front,web)", (string?)cells[7]);
        Assert.Equal("12", (string?)table["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public void Rows_carry_partial_object_metadata_by_default()
    {
        var row = TableConverter.ForObject(Pods, Pod("{}"), Now, IncludeObjectPolicy.Metadata)["rows"]![0]!;

        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)row["object"]!["apiVersion"]);
        Assert.Equal("default", (string?)row["object"]!["metadata"]!["namespace"]);
        Assert.Null(row["object"]!["spec"]);
    }

    [Fact]
    public void Rows_carry_the_whole_object_or_nothing_when_asked()
    {
        var pod = Pod("{}");
        pod.Remove("kind");

        var full = TableConverter.ForObject(Pods, pod, Now, IncludeObjectPolicy.Object)["rows"]![0]!["object"]!;
        var none = TableConverter.ForObject(Pods, pod, Now, IncludeObjectPolicy.None)["rows"]![0]!;

        Assert.Equal("Pod", (string?)full["kind"]);
        Assert.Equal("node-1", (string?)full["spec"]!["nodeName"]);
        Assert.False(none.AsObject().ContainsKey("object"));
        Assert.False(pod.ContainsKey("kind"));
    }

    [Fact]
    public void List_tables_carry_the_continue_token()
    {
        var table = TableConverter.ForList(Pods, [Pod("{}")], Now, IncludeObjectPolicy.Metadata, "7", "next");

        Assert.Equal("next", (string?)table["metadata"]!["continue"]);
        Assert.Single(table["rows"]!.AsArray());
    }

    [Fact]
    public void Node_status_combines_readiness_and_cordon()
    {
        var node = JsonNode.Parse("""
            {"metadata": {"name": "n1", "creationTimestamp": "2025-06-01T11:00:00Z",
               "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "edge"}},
             "spec": {"unschedulable": true},
             "status": {"conditions": [{"type": "Ready", "status": "False"}],
               "addresses": [{"type": "InternalIP", "address": "10.1.0.4"}], "nodeInfo": {"kubeletVersion": "v1.32.0"}}}
            """)!.AsObject();

        var cells = Cells(ResourceCatalog.Get("", "nodes"), node);

        Assert.Equal("NotReady,SchedulingDisabled", (string?)cells[1]);
        Assert.Equal("control-plane,edge", (string?)cells[2]);
        Assert.Equal("60m", (string?)cells[3]);
        Assert.Equal("10.1.0.4", (string?)cells[5]);
        Assert.Equal("<none>", (string?)cells[6]);
        Assert.Equal("<unknown>", (string?)cells[7]);
    }

    [Fact]
    public void Service_ports_include_node_ports()
    {
        var service = JsonNode.Parse("""
            {"metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:59:00Z"},
             "spec": {"type": "NodePort", "clusterIPs": ["10.96.0.10"], "selector": {"app": "web"},
               "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}]}}
            """)!.AsObject();

        var cells = Cells(ResourceCatalog.Get("", "services"), service);

        Assert.Equal("NodePort", (string?)cells[1]);
        Assert.Equal("10.96.0.10", (string?)cells[2]);
        Assert.Equal("<none>", (string?)cells[3]);
        Assert.Equal("80:30080/TCP,53/UDP", (string?)cells[4]);
        Assert.Equal("app=web", (string?)cells[6]);
    }

    [Fact]
    public void Job_shows_completions_and_duration()
    {
        var job = JsonNode.Parse("""
            {"metadata": {"name": "pi", "creationTimestamp": "2025-06-01T11:00:00Z"},
             "spec": {"completions": 3, "template": {"spec": {"containers": [{"name": "pi", "image": "perl"}]}}},
             "status": {"succeeded": 3, "startTime": "2025-06-01T11:00:00Z", "completionTime": "2025-06-01T11:01:05Z",
               "conditions": [{"type": "Complete", "status": "True"}]}}
            """)!.AsObject();

        var cells = Cells(ResourceCatalog.Get("batch", "jobs"), job);

        Assert.Equal("Complete", (string?)cells[1]);
        Assert.Equal("3/3", (string?)cells[2]);
        Assert.Equal("65s", (string?)cells[3]);
        Assert.Equal("<none>", (string?)cells[7]);
    }

    [Fact]
    public void DaemonSet_shows_its_counts_and_node_selector_and_when_wide_containers_and_selector()
    {
        var ds = JsonNode.Parse("""
            {"metadata": {"name": "agent", "creationTimestamp": "2025-06-01T11:00:00Z"},
             "spec": {"selector": {"matchLabels": {"app": "agent"}},
               "template": {"spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "agent", "image": "busybox"}]}}},
             "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2, "updatedNumberScheduled": 1, "numberAvailable": 2}}
            """)!.AsObject();

        var cells = Cells(ResourceCatalog.Get("apps", "daemonsets"), ds);

        Assert.Equal(["agent", "3", "3", "2", "1", "2", "disk=ssd", "60m", "agent", "busybox", "app=agent"], cells.Select(c => c!.ToString()));
    }

    [Fact]
    public void StatefulSet_shows_ready_of_desired_and_when_wide_containers_and_images()
    {
        var set = JsonNode.Parse("""
            {"metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:00:00Z"},
             "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
               "template": {"spec": {"containers": [{"name": "main", "image": "busybox"}]}}},
             "status": {"replicas": 3, "readyReplicas": 2}}
            """)!.AsObject();

        var cells = Cells(ResourceCatalog.Get("apps", "statefulsets"), set);

        Assert.Equal(["web", "2/3", "60m", "main", "busybox"], cells.Select(c => c!.ToString()));
    }

    [Fact]
    public void CronJob_shows_schedule_time_zone_suspension_active_jobs_and_last_schedule()
    {
        var cronJob = JsonNode.Parse("""
            {"metadata": {"name": "hello", "creationTimestamp": "2025-06-01T11:00:00Z"},
             "spec": {"schedule": "*/1 * * * *", "suspend": false,
               "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "hello", "image": "busybox"}]}}}}},
             "status": {"active": [{"name": "hello-29148958"}], "lastScheduleTime": "2025-06-01T11:59:00Z"}}
            """)!.AsObject();

        var cells = Cells(ResourceCatalog.Get("batch", "cronjobs"), cronJob);

        Assert.Equal(
            ["hello", "*/1 * * * *", "<none>", "False", "1", "60s", "60m", "hello", "busybox", "<none>"],
            cells.Select(c => c!.ToString()));
    }

    [Fact]
    public void Kinds_without_a_printer_get_name_and_creation_time()
    {
        var widgets = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true, typeof(object), [], [], []);
        var widget = JsonNode.Parse("""{"metadata": {"name": "w", "creationTimestamp": "2025-06-01T10:00:00Z"}}""")!.AsObject();

        var table = TableConverter.ForObject(widgets, widget, Now, IncludeObjectPolicy.Metadata);

        Assert.Equal("Name,Created At", string.Join(",", table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"])));
        Assert.Equal("date", (string?)table["columnDefinitions"]![1]!["type"]);
        Assert.Equal("2025-06-01T10:00:00Z", (string?)table["rows"]![0]!["cells"]![1]);
    }

    [Theory]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", true)]
    [InlineData("application/json", false)]
    [InlineData("application/json, */*", false)]
    [InlineData(null, false)]
    public void Kubectl_get_asks_for_tables(string? accept, bool wantsTable)
    {
        Assert.Equal(wantsTable, TableConverter.WantsTable(accept));
    }

    [Theory]
    [InlineData(null, true, IncludeObjectPolicy.Metadata)]
    [InlineData("Object", true, IncludeObjectPolicy.Object)]
    [InlineData("None", true, IncludeObjectPolicy.None)]
    [InlineData("Everything", false, IncludeObjectPolicy.Metadata)]
    [InlineData("1", false, IncludeObjectPolicy.Metadata)]
    public void Include_object_parameter_is_parsed(string? value, bool valid, IncludeObjectPolicy expected)
    {
        Assert.Equal(valid, TableConverter.TryParseIncludeObject(value, out var policy));
        if (valid)
        {
            Assert.Equal(expected, policy);
        }
    }

    /// <summary>A pod named web on node-1, created 3m2s before <see cref="Now"/>.</summary>
    private static JsonObject Pod(string status, int containers = 1, bool deleting = false, string? spec = null)
    {
        var containerList = string.Join(",", Enumerable.Range(0, containers).Select(i => $$"""{"name": "c{{i}}", "image": "nginx"}"""));
        var pod = JsonNode.Parse($$"""
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "web", "namespace": "default", "resourceVersion": "9", "creationTimestamp": "2025-06-01T11:56:58Z"},
             "spec": {{spec ?? $$"""{"containers": [{{containerList}}]}"""}},
             "status": {{status}}}
            """)!.AsObject();
        pod["spec"]!["nodeName"] = "node-1";
        if (deleting)
        {
            pod["metadata"]!["deletionTimestamp"] = "2025-06-01T11:59:00Z";
        }

        return pod;
    }

    private static JsonArray Cells(ResourceType type, JsonObject obj) =>
        TableConverter.ForObject(type, obj, Now, IncludeObjectPolicy.Metadata)["rows"]![0]!["cells"]!.AsArray();
}
