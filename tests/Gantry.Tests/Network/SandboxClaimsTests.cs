using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class SandboxClaimsTests : IDisposable
{
    private const string Prefix = "gantry-";

    private readonly PodNetworkOptions _options = new() { StateDirectory = Path.Combine(Path.GetTempPath(), $"gantry-claims-{Guid.NewGuid():N}") };

    public void Dispose()
    {
        if (Directory.Exists(_options.StateDirectory))
        {
            Directory.Delete(_options.StateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_pod_that_took_a_pooled_sandbox_claims_the_pool_namespace()
    {
        var pod = Guid.NewGuid().ToString();
        await new SandboxRecords(_options.SandboxDirectory).WriteAsync(pod, Record(pod, "gantry-0123456789ab"), CancellationToken.None);

        var claims = await SandboxClaims.NamespacesAsync(_options, CancellationToken.None);

        Assert.Contains("gantry-0123456789ab", claims);
    }

    [Fact]
    public async Task Ready_and_half_made_pool_sandboxes_are_claimed()
    {
        var ready = Guid.NewGuid().ToString();
        var pending = Guid.NewGuid().ToString();
        await new SandboxRecords(_options.PoolDirectory).WriteAsync(ready, Record("", PodNetwork.NamespaceName(Prefix, ready)), CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(_options.PoolDirectory, pending + ".pending"), []);

        var claims = await SandboxClaims.NamespacesAsync(_options, CancellationToken.None);

        Assert.Equal(new[] { PodNetwork.NamespaceName(Prefix, pending), PodNetwork.NamespaceName(Prefix, ready) }.Order(), claims.Order());
    }

    [Fact]
    public async Task A_damaged_record_still_claims_the_namespace_named_after_its_key()
    {
        var pod = Guid.NewGuid().ToString();
        Directory.CreateDirectory(_options.SandboxDirectory);
        await File.WriteAllTextAsync(Path.Combine(_options.SandboxDirectory, pod + ".json"), "{ not json");

        var claims = await SandboxClaims.NamespacesAsync(_options, CancellationToken.None);

        Assert.Equal([PodNetwork.NamespaceName(Prefix, pod)], claims);
    }

    [Fact]
    public async Task A_state_directory_without_a_network_claims_nothing()
    {
        var claims = await SandboxClaims.NamespacesAsync(_options, CancellationToken.None);

        Assert.Empty(claims);
    }

    private static SandboxRecord Record(string podUid, string networkNamespace) =>
        new(podUid, podUid, "web", "default", networkNamespace, "{}", PluginMasquerade: false, LoopbackPlugin: false);
}
