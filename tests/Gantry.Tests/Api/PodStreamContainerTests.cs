using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class PodStreamContainerTests
{
    private static JsonObject Pod(string[] containers, string[]? init = null) => new()
    {
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray([.. containers.Select(n => (JsonNode)new JsonObject { ["name"] = n })]),
            ["initContainers"] = new JsonArray([.. (init ?? []).Select(n => (JsonNode)new JsonObject { ["name"] = n })]),
        },
    };

    private static string Refusal(JsonNode pod, string? requested, bool forLogs) =>
        Assert.Throws<ApiException>(() => PodStreamContainer.Resolve(pod, "web", requested, forLogs)).Message;

    [Fact]
    public void The_only_container_is_the_default() => Assert.Equal("app", PodStreamContainer.Resolve(Pod(["app"]), "web", null, forLogs: true));

    [Fact]
    public void An_init_container_may_be_named() => Assert.Equal("setup", PodStreamContainer.Resolve(Pod(["app"], ["setup"]), "web", "setup", forLogs: false));

    [Fact]
    public void A_container_the_pod_lacks_is_refused() =>
        Assert.Equal("container nope is not valid for pod web", Refusal(Pod(["app"]), "nope", forLogs: true));

    [Fact]
    public void Logs_of_a_pod_of_several_containers_need_a_name_among_all_of_them() =>
        Assert.Equal("a container name must be specified for pod web, choose one of: [setup app side]", Refusal(Pod(["app", "side"], ["setup"]), null, forLogs: true));

    [Fact]
    public void Exec_in_a_pod_of_several_containers_names_the_init_containers_apart() =>
        Assert.Equal(
            "a container name must be specified for pod web, choose one of: [app side] or one of the init containers: [setup]",
            Refusal(Pod(["app", "side"], ["setup"]), null, forLogs: false));
}
