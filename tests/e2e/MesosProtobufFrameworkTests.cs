using System.Text.Json.Nodes;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// The Mesos scheduler API in its protobuf form, driven by a framework that speaks nothing else: a Node.js program on
/// protobufjs (<c>tests/e2e/Mesos/protobuf-framework</c>) that reads Mesos' own .proto files, so every message Gantry
/// sends or reads is checked by a protobuf implementation other than Gantry's.
/// </summary>
[Collection(GantryCollection.Name)]
[Trait(Matrix.Trait, Matrix.DefaultKubectlOnly)] // no kubectl is run
public sealed class MesosProtobufFrameworkTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly string FrameworkDir = Path.Combine(RepoPaths.RepoRoot, "tests", "e2e", "Mesos", "protobuf-framework");

    private static readonly string ProtoRoot = Path.Combine(RepoPaths.RepoRoot, "src", "Gantry.Server", "Mesos", "Protos");

    [Fact]
    public async Task A_framework_speaking_protobuf_subscribes_launches_a_command_and_sees_it_finish()
    {
        // protobufjs at the version the lock file pins.
        var npm = await ProcessRunner.RunAsync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", FrameworkDir], null, null, TimeSpan.FromSeconds(180));
        Assert.True(npm.Succeeded, $"npm ci failed:\n{npm}");

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
        Assert.All(updates, u => Assert.Equal(24, u["uuid"]!.GetValue<string>().Length));
    }
}
