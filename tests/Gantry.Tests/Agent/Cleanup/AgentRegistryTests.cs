using Gantry.Agent.Cleanup;
using Xunit;

namespace Gantry.Tests.Agent.Cleanup;

public sealed class AgentRegistryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"gantry-registry-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void An_agent_added_twice_is_listed_once()
    {
        var registry = new AgentRegistry(_directory);

        registry.Add("/var/lib/gantry/agent");
        registry.Add("/var/lib/gantry/agent");

        Assert.Equal(["/var/lib/gantry/agent"], registry.StateDirectories());
    }

    [Fact]
    public void A_removed_agent_is_no_longer_listed()
    {
        var registry = new AgentRegistry(_directory);
        registry.Add("/tmp/a/agent");
        registry.Add("/tmp/b/agent");

        registry.Remove("/tmp/a/agent");

        Assert.Equal(["/tmp/b/agent"], registry.StateDirectories());
    }

    [Fact]
    public void Removing_from_a_registry_never_written_is_a_no_op()
    {
        var registry = new AgentRegistry(_directory);

        registry.Remove("/tmp/a/agent");

        Assert.Empty(registry.StateDirectories());
    }
}
