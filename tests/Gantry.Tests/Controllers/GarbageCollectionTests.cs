using Gantry.Server.Controllers;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class GarbageCollectionTests
{
    private static OwnerGraphReference Ref(string uid, bool block = true) => new("apps/v1", "ReplicaSet", "rs-" + uid, uid, true, block);

    [Fact]
    public void An_object_with_a_solid_owner_is_kept()
    {
        Assert.Equal(OwnerVerdict.Keep, OwnerVerdict.Decide([(Ref("a"), OwnerState.Solid)], hasDependents: false));
    }

    [Fact]
    public void An_object_whose_owners_are_all_gone_is_deleted_in_the_background()
    {
        var verdict = OwnerVerdict.Decide([(Ref("a"), OwnerState.Dangling)], hasDependents: true);

        Assert.True(verdict.Delete);
        Assert.Equal("Background", verdict.Policy);
    }

    [Fact]
    public void A_dependent_with_its_own_dependents_of_a_foreground_owner_is_deleted_in_the_foreground()
    {
        var verdict = OwnerVerdict.Decide([(Ref("a"), OwnerState.WaitingForDependents)], hasDependents: true);

        Assert.True(verdict.Delete);
        Assert.Equal("Foreground", verdict.Policy);
    }

    [Fact]
    public void A_solid_owner_keeps_the_object_but_references_to_missing_owners_are_removed()
    {
        var gone = Ref("b");
        var verdict = OwnerVerdict.Decide([(Ref("a"), OwnerState.Solid), (gone, OwnerState.Dangling)], hasDependents: false);

        Assert.False(verdict.Delete);
        Assert.Equal([gone], verdict.Remove);
    }

    [Fact]
    public void Slow_start_batches_double_up_to_the_count()
    {
        Assert.Equal([1, 2, 4, 3], SlowStart.Batches(10));
        Assert.Empty(SlowStart.Batches(0));
    }
}
