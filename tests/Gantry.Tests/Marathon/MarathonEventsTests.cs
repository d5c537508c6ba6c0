using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Gantry.Server.Marathon.Events;
using Gantry.Tests.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Marathon;

/// <summary>Marathon's event bus over real informers: what it publishes, to whom, and the stream's format.</summary>
public sealed class MarathonEventsTests : IAsyncLifetime
{
    private InformedRegistry _registry = null!;
    private MarathonApps _apps = null!;
    private MarathonEvents _events = null!;

    private CancellationToken Ct => _registry.Context.Ct;

    public async Task InitializeAsync()
    {
        _registry = await InformedRegistry.CreateAsync();
        _apps = new MarathonApps(_registry.Client, _registry.Informers, _registry.Context.Time);
        _events = new MarathonEvents(_registry.Informers, _registry.Context.Time);
        await _registry.RunInformersAsync();
    }

    public async Task DisposeAsync()
    {
        _apps.Dispose();
        await _registry.DisposeAsync();
    }

    private static V1Pod Pod(string phase, DateTime? deleted = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-1", Uid = "u1", DeletionTimestamp = deleted },
        Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "app" }] },
        Status = new V1PodStatus { Phase = phase },
    };

    private static async Task<JsonObject> NextAsync(System.Threading.Channels.ChannelReader<MarathonEvent> reader, string type)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var published = await reader.ReadAsync(patience.Token);
            if (published.Type == type)
            {
                return JsonNode.Parse(published.Data)!.AsObject();
            }
        }
    }

    [Fact]
    public void A_new_pod_is_staging_which_is_not_reported() =>
        Assert.Null(MarathonEvents.TaskStatusChange(null, Pod("Pending")));

    [Fact]
    public void A_pod_that_starts_running_is_reported_running() =>
        Assert.Equal("TASK_RUNNING", MarathonEvents.TaskStatusChange(Pod("Pending"), Pod("Running")));

    [Fact]
    public void A_change_that_leaves_the_state_as_it_was_is_not_reported() =>
        Assert.Null(MarathonEvents.TaskStatusChange(Pod("Running"), Pod("Running")));

    [Fact]
    public void A_running_pod_that_goes_was_killed() =>
        Assert.Equal("TASK_KILLED", MarathonEvents.TaskStatusChange(Pod("Running", deleted: DateTime.UtcNow), null));

    [Fact]
    public void A_finished_pod_that_goes_is_not_reported_again() =>
        Assert.Null(MarathonEvents.TaskStatusChange(Pod("Succeeded"), null));

    [Fact]
    public async Task Every_subscriber_gets_each_event_with_its_type_and_time()
    {
        var first = _events.Subscribe();
        var second = _events.Subscribe();

        _events.Publish("app_terminated_event", new JsonObject { ["appId"] = "/web" });

        foreach (var reader in new[] { first, second })
        {
            var body = await NextAsync(reader, "app_terminated_event");
            Assert.Equal(("/web", "app_terminated_event"), (body["appId"]!.GetValue<string>(), body["eventType"]!.GetValue<string>()));
            Assert.NotNull(body["timestamp"]);
        }
    }

    [Fact]
    public async Task A_subscriber_that_falls_too_far_behind_is_dropped_and_the_others_are_not()
    {
        var slow = _events.Subscribe();
        var keeping = _events.Subscribe();
        var read = 0;

        for (var i = 0; i < 1100; i++)
        {
            _events.Publish("app_terminated_event", new JsonObject { ["appId"] = $"/a{i}" });
            while (keeping.TryRead(out _))
            {
                read++;
            }
        }

        Assert.Equal(1100, read);
        while (slow.TryRead(out _))
        {
        }

        await slow.Completion.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_tasks_pod_that_starts_running_publishes_a_status_update_for_its_app()
    {
        var (app, _) = await _apps.CreateAsync(JsonNode.Parse("""{"cmd":"sleep 1000"}""")!.AsObject(), "/shop/web", Ct);
        var reader = _events.Subscribe();
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = "shop-web-1",
                NamespaceProperty = AppDeployments.Namespace,
                Labels = new Dictionary<string, string> { [AppDeployments.AppLabel] = app.Metadata.Name },
            },
            Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "app", Image = "busybox" }] },
        };
        await _registry.Client.CreateAsync(pod, Ct);

        await _registry.Client.MutateAsync<V1Pod>(AppDeployments.Namespace, "shop-web-1", p =>
        {
            p.Status ??= new V1PodStatus();
            p.Status.Phase = "Running";
            p.Status.PodIP = "10.88.0.9";
        }, Ct, subresource: "status");

        var update = await NextAsync(reader, "status_update_event");
        Assert.Equal(("/shop/web", "TASK_RUNNING", "n1"), (update["appId"]!.GetValue<string>(), update["taskStatus"]!.GetValue<string>(), update["slaveId"]!.GetValue<string>()));
        Assert.Equal("10.88.0.9", update["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>());
    }

    [Fact]
    public void An_event_is_written_as_its_type_and_its_data_then_a_blank_line() =>
        Assert.Equal("event: app_terminated_event\ndata: {\"appId\":\"/x\"}\n\n", EventStream.Format(new MarathonEvent("app_terminated_event", "{\"appId\":\"/x\"}")));

    [Theory]
    [InlineData(null, true)]
    [InlineData("text/event-stream", true)]
    [InlineData("*/*", true)]
    [InlineData("application/json, text/event-stream;q=0.9", true)]
    [InlineData("application/json", false)]
    public void The_stream_is_served_to_clients_that_accept_event_streams(string? accept, bool served) =>
        Assert.Equal(served, EventStream.Accepts(accept));
}
