using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Xunit;

namespace Gantry.Tests.Registry.CustomResourceDefinitions;

/// <summary>The rules through the registry, whose generic code splits spec from status and counts generations.</summary>
public sealed class CustomResourceDefinitionRegistryTests : IAsyncLifetime
{
    private static readonly ResourceType Crds = ResourceCatalog.Get("apiextensions.k8s.io", "customresourcedefinitions");

    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await RegistryTestContext.StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static JsonArray StoredVersions(JsonObject crd) => crd["status"]!["storedVersions"]!.AsArray();

    [Fact]
    public async Task A_created_crd_stores_its_storage_version_whatever_status_it_was_sent_with()
    {
        var crd = JsonNode.Parse(CrdFixture.Valid)!.AsObject();
        crd["status"] = JsonNode.Parse("""{"storedVersions":["v0"]}""");

        var created = await _context.CreateAsync(Crds, crd);

        Assert.Equal(["v1"], StoredVersions(created).Select(v => v!.GetValue<string>()));
        Assert.Equal("widget", created["spec"]!["names"]!["singular"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_update_that_moves_storage_keeps_the_old_version_stored_and_bumps_the_generation()
    {
        var crd = JsonNode.Parse(CrdFixture.Valid)!.AsObject();
        CrdFixture.AddVersion(crd, "v2");
        var created = await _context.CreateAsync(Crds, crd);
        var next = created.DeepClone().AsObject();
        CrdFixture.Version(next, 0)["storage"] = false;
        CrdFixture.Version(next, 1)["storage"] = true;

        var updated = await _context.UpdateAsync(Crds, next);

        Assert.Equal(["v1", "v2"], StoredVersions(updated).Select(v => v!.GetValue<string>()));
        Assert.Equal(2, updated["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_invalid_crd_is_refused_with_kubes_message()
    {
        var crd = JsonNode.Parse(CrdFixture.Valid)!.AsObject();
        CrdFixture.Spec(crd)["scope"] = "Global";

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.CreateAsync(Crds, crd));

        Assert.Equal(422, error.Code);
        Assert.Contains("spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"", error.Message, StringComparison.Ordinal);
    }
}
