using Gantry.Agent.Cgroups;
using Xunit;

namespace Gantry.IntegrationTests.Cgroups;

/// <summary>What every agent start does to the host's cgroup2 hierarchy, done here directly.</summary>
public sealed class CgroupDynamicModificationsTests
{
    [Fact]
    public void Favoring_dynamic_modifications_adds_favordynmods_to_the_unified_hierarchy_and_keeps_its_other_options()
    {
        var before = CgroupHierarchies.Detect();
        Assert.NotNull(before.UnifiedMount);

        CgroupDynamicModifications.Favor(before);

        var after = CgroupHierarchies.Detect();
        Assert.Contains(CgroupDynamicModifications.Option, after.UnifiedOptions);
        Assert.Equal(CgroupDynamicModifications.OptionsWithFavor(before.UnifiedOptions).Order(), after.UnifiedOptions.Order());
        Assert.Null(CgroupDynamicModifications.Favor(after));
    }
}
