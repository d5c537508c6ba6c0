using System.Text.Json.Nodes;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Mesos' scheduler and operator APIs in their protobuf form, driven by clients that speak nothing else: Node.js programs
/// on protobufjs (<c>tests/e2e/Mesos/protobuf-framework</c>) that read Mesos' own .proto files, so every message Gantry
/// sends or reads is checked by a protobuf implementation other than Gantry's.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)] // kubectl only lists the nodes
public sealed class MesosProtobufFrameworkTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly string FrameworkDir = Path.Combine(RepoPaths.RepoRoot, "tests", "e2e", "Mesos", "protobuf-framework");

    private static readonly string ProtoRoot = Path.Combine(RepoPaths.RepoRoot, "src", "Gantry.Server", "Mesos", "Protos");

    private static readonly SemaphoreSlim Install = new(1, 1);

    private static bool _installed;

    [Fact]
    public async Task A_framework_speaking_protobuf_subscribes_launches_a_command_and_sees_it_finish()
    {
        await InstallAsync();

        var result = await ProcessRunner.RunAsync("node", [
            Path.Combine(FrameworkDir, "framework.mjs"), Fixture.BaseUrl, AdminToken(), ProtoRoot, "protobuf", "echo hello-protobuf; sleep 1"],
            null, null, TimeSpan.FromSeconds(150));

        Assert.True(result.Succeeded, $"The framework failed:\n{result.Stdout}\n{result.Stderr}\n{Fixture.ServerNote()}");
        var events = result.StdoutLines.Select(l => JsonNode.Parse(l)!).ToList();
        Check.Equal("SUBSCRIBED", events[0]!["type"]!.GetValue<string>(), "the stream's first event");
        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "OFFERS");
        var updates = events.Where(e => e!["type"]!.GetValue<string>() == "UPDATE").Select(e => e!["update"]!["status"]!).ToList();
        Check.Equal("TASK_RUNNING TASK_FINISHED", string.Join(' ', updates.Select(u => u["state"]!.GetValue<string>()).Distinct()), "the task's updates");
        Check.Equal("Command exited with status 0", updates[^1]["message"]?.GetValue<string>(), "the finished task's message");
        Assert.All(updates.Where(u => u["uuid"] is not null), u => Assert.Equal(24, u["uuid"]!.GetValue<string>().Length));
    }

    [Fact]
    public async Task An_operator_speaking_protobuf_gets_the_state_with_every_node_as_an_agent()
    {
        await InstallAsync();

        var result = await ProcessRunner.RunAsync("node", [Path.Combine(FrameworkDir, "operator.mjs"), Fixture.BaseUrl, AdminToken(), ProtoRoot, "GET_STATE"],
            null, null, TimeSpan.FromSeconds(60));

        Assert.True(result.Succeeded, $"The operator's call failed:\n{result.Stdout}\n{result.Stderr}\n{Fixture.ServerNote()}");
        var agents = JsonNode.Parse(result.Stdout)!["get_state"]!["get_agents"]!["agents"]!.AsArray()
            .Select(a => a!["agent_info"]!["id"]!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        var nodes = (await Ok("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}")).Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Order(StringComparer.Ordinal);
        Check.Equal(string.Join(' ', nodes), string.Join(' ', agents), "the agents GET_STATE lists");
    }

    /// <summary>protobufjs at the version the lock file pins, installed once for the run.</summary>
    private static async Task InstallAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (!_installed)
            {
                var npm = await ProcessRunner.RunAsync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", FrameworkDir], null, null,
                    TimeSpan.FromSeconds(180));
                Assert.True(npm.Succeeded, $"npm ci failed:\n{npm}");
                _installed = true;
            }
        }
        finally
        {
            Install.Release();
        }
    }
}
