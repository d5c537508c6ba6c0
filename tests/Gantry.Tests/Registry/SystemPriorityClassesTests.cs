using Gantry.Core.Resources;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Registry;

public sealed class SystemPriorityClassesTests : IAsyncLifetime
{
    private static readonly ResourceType PriorityClasses = ResourceCatalog.Get("scheduling.k8s.io", "priorityclasses");

    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Theory]
    [InlineData("system-node-critical", 2000001000)]
    [InlineData("system-cluster-critical", 2000000000)]
    public void A_new_cluster_has_the_system_priority_classes(string name, int value)
    {
        var priorityClass = _context.Get(PriorityClasses, name);

        Assert.NotNull(priorityClass);
        Assert.Equal(value, priorityClass["value"]!.GetValue<int>());
        Assert.Equal("PreemptLowerPriority", priorityClass["preemptionPolicy"]!.GetValue<string>());
    }
}
