using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Registry;

/// <summary>What a write to a pod's ephemeralcontainers subresource takes from the writer (kube's dropNonEphemeralContainerUpdates).</summary>
public sealed class EphemeralContainerWritesTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static JsonObject Debugger() => new() { ["name"] = "debugger", ["image"] = "busybox", ["stdin"] = true };

    [Fact]
    public async Task An_ephemeralcontainers_update_adds_the_container_and_keeps_the_rest_of_the_pod()
    {
        var created = await _context.CreateAsync(Pods, Pod("web", nodeName: "n1"));
        var body = created.DeepClone().AsObject();
        body["spec"]!["ephemeralContainers"] = new JsonArray(Debugger());
        body["spec"]!["nodeName"] = "n2";
        body["status"]!["phase"] = "Running";
        ObjectMetadata.Of(body)["labels"] = new JsonObject { ["tier"] = "front" };

        var updated = await _context.UpdateAsync(Pods, body, subresource: "ephemeralcontainers");

        Assert.Equal("debugger", (string?)updated["spec"]!["ephemeralContainers"]![0]!["name"]);
        Assert.Equal("File", (string?)updated["spec"]!["ephemeralContainers"]![0]!["terminationMessagePolicy"]);
        Assert.Equal("n1", (string?)updated["spec"]!["nodeName"]);
        Assert.Equal("Pending", (string?)updated["status"]!["phase"]);
        Assert.Null(updated["metadata"]!["labels"]);
    }

    [Fact]
    public async Task An_ephemeralcontainers_update_that_drops_one_is_refused()
    {
        var created = await _context.CreateAsync(Pods, Pod("web"));
        var body = created.DeepClone().AsObject();
        body["spec"]!["ephemeralContainers"] = new JsonArray(Debugger());
        var updated = await _context.UpdateAsync(Pods, body, subresource: "ephemeralcontainers");
        updated["spec"]!.AsObject().Remove("ephemeralContainers");

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(Pods, updated, subresource: "ephemeralcontainers"));

        Assert.Equal(422, error.Code);
        Assert.Contains("existing ephemeral containers \"debugger\" may not be removed", error.Message, StringComparison.Ordinal);
    }
}
