using System.Net;
using System.Text.Json.Nodes;
using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class CniPluginsTests : IDisposable
{
    private const string ContainerId = "0b4f5a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
    private const string Netns = "/var/run/netns/gantry-0b4f5a8e1c2d";

    private readonly FakePlugins _fake = new();
    private readonly CniPlugins _plugins;

    public CniPluginsTests()
    {
        _plugins = new CniPlugins(_fake.Path, TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _fake.Dispose();

    [Fact]
    public async Task An_add_hands_the_plugin_the_spec_environment_and_the_config_on_stdin_and_reads_its_result()
    {
        _fake.Add("bridge", $$"""
            {"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"{{Netns}}"}],"ips":[{"interface":0,"address":"10.88.0.9/24","gateway":"10.88.0.1"}]}
            """);
        var invocation = new CniInvocation("bridge", "ADD", ContainerId, Netns, "eth0", "IgnoreUnknown=1");

        var (result, json) = await _plugins.AddAsync(invocation, new JsonObject { ["type"] = "bridge" }, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("10.88.0.9"), result.PodAddress("eth0", Netns).Address);
        Assert.Contains("10.88.0.9/24", json, StringComparison.Ordinal);
        Assert.Equal("""{"type":"bridge"}""", _fake.StdinOf("bridge"));
        Assert.Equal(
            [
                "CNI_ARGS=IgnoreUnknown=1",
                "CNI_COMMAND=ADD",
                $"CNI_CONTAINERID={ContainerId}",
                "CNI_IFNAME=eth0",
                $"CNI_NETNS={Netns}",
                $"CNI_PATH={_fake.Path}",
            ],
            _fake.EnvironmentOf("bridge").Where(line => line.StartsWith("CNI_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_plugin_runs_its_go_runtime_on_one_processor()
    {
        _fake.Add("bridge", $$"""
            {"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"{{Netns}}"}],"ips":[{"interface":0,"address":"10.88.0.9/24","gateway":"10.88.0.1"}]}
            """);

        await _plugins.AddAsync(new CniInvocation("bridge", "ADD", ContainerId, Netns, "eth0", "IgnoreUnknown=1"), new JsonObject { ["type"] = "bridge" }, CancellationToken.None);

        Assert.Contains("GOMAXPROCS=1", _fake.EnvironmentOf("bridge"));
    }

    [Fact]
    public async Task A_plugin_error_object_becomes_an_exception_with_the_plugins_message()
    {
        _fake.Add("bridge", """{"cniVersion":"1.0.0","code":11,"msg":"no IP addresses available in range set: 10.88.0.1-10.88.0.254"}""", exitCode: 1);
        var invocation = new CniInvocation("bridge", "ADD", ContainerId, Netns, "eth0", "");

        var error = await Assert.ThrowsAsync<CniPluginException>(() => _plugins.AddAsync(invocation, [], CancellationToken.None));

        Assert.Equal(11, error.Code);
        Assert.Equal("no IP addresses available in range set: 10.88.0.1-10.88.0.254", error.PluginMessage);
        Assert.EndsWith("failed (code 11): no IP addresses available in range set: 10.88.0.1-10.88.0.254", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_that_dies_without_an_error_object_is_reported_with_what_it_printed()
    {
        _fake.Add("bridge", "", exitCode: 2, stderr: "panic: nil map");
        var invocation = new CniInvocation("bridge", "DEL", ContainerId, Netns, "eth0", "");

        var error = await Assert.ThrowsAsync<NetworkCommandException>(() => _plugins.RunAsync(invocation, [], CancellationToken.None));

        Assert.IsNotType<CniPluginException>(error);
        Assert.Contains("CNI_COMMAND=DEL", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("failed with exit code 2: panic: nil map", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public async Task A_missing_plugin_is_reported_with_where_it_was_looked_for_and_how_to_install_it()
    {
        var invocation = new CniInvocation("bridge", "ADD", ContainerId, Netns, "eth0", "");

        var error = await Assert.ThrowsAsync<NetworkCommandException>(() => _plugins.AddAsync(invocation, [], CancellationToken.None));

        Assert.Contains($"not installed in {_fake.Path}", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/bootstrap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plugins_that_do_not_speak_the_spec_version_gantry_uses_are_refused_at_start()
    {
        _fake.Add("bridge", """{"cniVersion":"1.0.0","supportedVersions":["0.4.0","1.0.0"]}""");
        _fake.Add("host-local", """{"cniVersion":"0.4.0","supportedVersions":["0.3.1","0.4.0"]}""");
        _fake.Add("loopback", """{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}""");
        var network = new PodNetwork(new PodNetworkOptions { StateDirectory = "/var/lib/gantry/network", PluginDirectory = _fake.Path });

        var error = await Assert.ThrowsAsync<NetworkCommandException>(() => network.EnsurePluginsAsync(CancellationToken.None));

        Assert.StartsWith($"CNI plugin host-local in {_fake.Path} speaks 0.3.1, 0.4.0 but Gantry needs 1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("CNI_COMMAND=VERSION", string.Join('\n', _fake.EnvironmentOf("bridge")), StringComparison.Ordinal);
    }
}
