using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Registry;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Registry;

public sealed class ObjectRegistryCachedJsonTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_written_object_is_cached_as_the_bytes_it_would_be_written_as()
    {
        var created = await _context.CreateAsync(Deployments, Deployment("web"));

        var json = _context.Registry.CachedJson(Deployments, created);

        Assert.NotNull(json);
        Assert.Equal(created.ToJsonString(), Encoding.UTF8.GetString(json));
    }

    [Fact]
    public async Task An_object_replaced_by_a_later_write_has_no_cached_json()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));
        await _context.MutateAsync(ConfigMaps, "x", current =>
        {
            current["data"] = new JsonObject { ["k"] = "v" };
            return current;
        });

        Assert.Null(_context.Registry.CachedJson(ConfigMaps, created));
    }

    [Fact]
    public async Task A_dry_run_object_has_no_cached_json()
    {
        var dryRun = await _context.CreateAsync(ConfigMaps, ConfigMap("x"), new WriteOptions(DryRun: true));

        Assert.Null(_context.Registry.CachedJson(ConfigMaps, dryRun));
    }
}
