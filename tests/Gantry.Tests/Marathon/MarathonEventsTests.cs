using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gantry.Server.Marathon;
using Gantry.Server.Marathon.Events;
using Gantry.Server.Registry;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Marathon;

/// <summary>Marathon's event bus over real informers: what it publishes, to whom, and the stream's format.</summary>
public sealed class MarathonEventsTests : MarathonAppsTest
{
    private MarathonEvents _events = null!;

    // Completes when a Deployment's deletion has been seen by every handler registered before this one, the bus's included.
    private readonly TaskCompletionSource _appDeletionHandled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private protected override void BeforeInformersRun()
    {
        _events = new MarathonEvents(Registry.Informers, Registry.Context.Time);
        Registry.Informers.For<V1Deployment>().OnChange((_, current) =>
        {
            if (current is null)
            {
                _appDeletionHandled.TrySetResult();
            }
        });
    }

    private static async Task<JsonObject> NextAsync(ChannelReader<MarathonEvent> reader, string type)
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

    private async Task<V1Deployment> AppWithPodAsync(string appId, string podName)
    {
        var (app, _) = await Apps.CreateAsync(JsonNode.Parse("""{"cmd":"sleep 1000"}""")!.AsObject(), appId, Ct);
        await Registry.Client.CreateAsync(new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = podName,
                NamespaceProperty = AppDeployments.Namespace,
                Labels = new Dictionary<string, string> { [AppDeployments.AppLabel] = app.Metadata.Name },
            },
            Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "app", Image = "busybox" }] },
        }, Ct);
        return app;
    }

    private Task<V1Pod> SetPhaseAsync(string podName, string phase) =>
        Registry.Client.MutateAsync<V1Pod>(AppDeployments.Namespace, podName, p =>
        {
            p.Status ??= new V1PodStatus();
            p.Status.Phase = phase;
            p.Status.PodIP = "10.88.0.9";
        }, Ct, subresource: "status");

    [Fact]
    public async Task A_tasks_pod_that_starts_running_publishes_a_status_update_for_its_app()
    {
        var reader = _events.Subscribe();
        await AppWithPodAsync("/shop/web", "shop-web-1");

        await SetPhaseAsync("shop-web-1", "Running");

        var update = await NextAsync(reader, "status_update_event");
        while (update["taskStatus"]!.GetValue<string>() == "TASK_STAGING")
        {
            update = await NextAsync(reader, "status_update_event");
        }

        Assert.Equal(("/shop/web", "TASK_RUNNING", "n1"), (update["appId"]!.GetValue<string>(), update["taskStatus"]!.GetValue<string>(), update["slaveId"]!.GetValue<string>()));
        Assert.Equal("10.88.0.9", update["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_task_whose_app_was_deleted_before_its_pod_is_reported_killed_for_that_app()
    {
        await AppWithPodAsync("/shop/cart", "shop-cart-1");
        await SetPhaseAsync("shop-cart-1", "Running");
        await Apps.DeleteAsync("/shop/cart", Ct);
        await _appDeletionHandled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var reader = _events.Subscribe();

        await Registry.Client.DeleteAsync<V1Pod>(AppDeployments.Namespace, "shop-cart-1", new DeleteRequest(GracePeriodSeconds: 0), Ct);

        var update = await NextAsync(reader, "status_update_event");
        Assert.Equal(("/shop/cart", "TASK_KILLED"), (update["appId"]!.GetValue<string>(), update["taskStatus"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_app_whose_deployment_has_rolled_out_publishes_the_success_of_its_deployment()
    {
        var (app, versions) = await Apps.CreateAsync(JsonNode.Parse("""{"cmd":"sleep 1000","instances":1}""")!.AsObject(), "/shop/db", Ct);
        var reader = _events.Subscribe();

        await Registry.Client.MutateAsync<V1Deployment>(AppDeployments.Namespace, app.Metadata.Name, d =>
            d.Status = new V1DeploymentStatus
            {
                ObservedGeneration = d.Metadata.Generation,
                Replicas = 1,
                UpdatedReplicas = 1,
                ReadyReplicas = 1,
                AvailableReplicas = 1,
            }, Ct, subresource: "status");

        var success = await NextAsync(reader, "deployment_success");
        Assert.Equal((versions.DeploymentId, versions.DeploymentId), (success["id"]!.GetValue<string>(), success["plan"]!["id"]!.GetValue<string>()));
    }

    private (Task Serving, RecordingStream Body) Serve(string query, CancellationToken clientGone)
    {
        var body = new RecordingStream();
        var context = new DefaultHttpContext { RequestAborted = clientGone };
        context.Request.QueryString = new QueryString(query);
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        context.Response.Body = body;
        return (EventStream.ServeAsync(context, _events), body);
    }

    private static async Task<string> WrittenAsync(RecordingStream body)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await body.Writes.ReadAsync(patience.Token);
    }

    [Fact]
    public async Task A_stream_begins_with_the_attachment_of_its_client_and_ends_when_the_client_goes()
    {
        using var client = new CancellationTokenSource();
        var (serving, body) = Serve("", client.Token);

        var attached = await WrittenAsync(body);
        await client.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("event: event_stream_attached\ndata: {\"remoteAddress\":\"10.1.2.3\"", attached, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_asked_for_event_types_writes_only_events_of_those_types()
    {
        using var client = new CancellationTokenSource();
        var (serving, body) = Serve("?event_type=app_terminated_event&event_type=deployment_success", client.Token);

        _events.Publish("api_post_event", new JsonObject { ["uri"] = "/v2/apps/x" });
        _events.Publish("app_terminated_event", new JsonObject { ["appId"] = "/x" });
        _events.Publish("status_update_event", new JsonObject { ["appId"] = "/x" });
        _events.Publish("deployment_success", new JsonObject { ["id"] = "d1" });

        var written = new[] { await WrittenAsync(body), await WrittenAsync(body) };
        await client.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["event: app_terminated_event", "event: deployment_success"], written.Select(w => w.Split('\n')[0]));
        Assert.False(body.Writes.TryRead(out _));
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
