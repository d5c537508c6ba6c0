using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Xunit;

namespace Gantry.Tests.Registry.Networking;

/// <summary>How the registry stores a NetworkPolicy: defaulted, with a generation although v1 serves no status.</summary>
public sealed class NetworkPolicyWritesTests : IAsyncLifetime
{
    private static readonly ResourceType NetworkPolicies = ResourceCatalog.Get("networking.k8s.io", "networkpolicies");

    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await RegistryTestContext.StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static JsonObject Policy(int port = 80) => JsonNode.Parse($$$"""
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
         "metadata": {"name": "db"},
         "spec": {"egress": [{"ports": [{"port": {{{port}}}}]}]}}
        """)!.AsObject();

    private static long Generation(JsonObject obj) => (long)obj["metadata"]!["generation"]!;

    [Fact]
    public async Task A_created_policy_is_stored_defaulted_at_generation_one()
    {
        var created = await _context.CreateAsync(NetworkPolicies, Policy());

        Assert.Equal(1, Generation(created));
        Assert.Equal("{}", created["spec"]!["podSelector"]!.ToJsonString());
        Assert.Equal("TCP", (string?)created["spec"]!["egress"]![0]!["ports"]![0]!["protocol"]);
        Assert.Equal("""["Ingress","Egress"]""", created["spec"]!["policyTypes"]!.ToJsonString());
    }

    [Fact]
    public async Task A_spec_change_bumps_the_generation()
    {
        await _context.CreateAsync(NetworkPolicies, Policy());

        var updated = await _context.UpdateAsync(NetworkPolicies, Policy(port: 443));

        Assert.Equal(2, Generation(updated));
    }

    [Fact]
    public async Task A_label_change_keeps_the_generation()
    {
        await _context.CreateAsync(NetworkPolicies, Policy());
        var body = Policy();
        body["metadata"]!["labels"] = new JsonObject { ["team"] = "data" };

        var updated = await _context.UpdateAsync(NetworkPolicies, body);

        Assert.Equal(1, Generation(updated));
    }
}
