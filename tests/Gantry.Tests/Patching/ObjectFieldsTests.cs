using Gantry.Core.Patching;
using Xunit;

namespace Gantry.Tests.Patching;

public sealed class ObjectFieldsTests
{
    private static readonly PatchSchema Pod = PatchSchema.ForKind("v1", "Pod");

    [Fact]
    public void Members_equal_on_both_sides_are_neither_added_modified_nor_removed()
    {
        var before = Json.Object("""{"kind":"Pod","metadata":{"name":"p","labels":{"a":"1"}},"spec":{"nodeName":"n1"},"status":{"phase":"Pending"}}""");
        var after = Json.Object("""{"kind":"Pod","metadata":{"name":"p","labels":{"a":"1"}},"spec":{"nodeName":"n1"},"status":{"phase":"Running","podIP":"10.0.0.2"}}""");

        var comparison = ObjectFields.Compare(before, after, Pod);

        Json.Equal("""{"f:status":{"f:podIP":{}}}""", comparison.Added.ToFieldsV1());
        Json.Equal("""{"f:status":{"f:phase":{}}}""", comparison.Modified.ToFieldsV1());
        Assert.True(comparison.Removed.IsEmpty);
    }

    [Fact]
    public void A_member_on_one_side_only_is_added_or_removed_whole()
    {
        var before = Json.Object("""{"kind":"Pod","spec":{"nodeName":"n1"},"status":{"phase":"Pending"}}""");
        var after = Json.Object("""{"kind":"Pod","spec":{"nodeName":"n1","hostNetwork":true}}""");

        var comparison = ObjectFields.Compare(before, after, Pod);

        Json.Equal("""{"f:spec":{"f:hostNetwork":{}}}""", comparison.Added.ToFieldsV1());
        Assert.True(comparison.Modified.IsEmpty);
        Json.Equal("""{"f:status":{"f:phase":{}}}""", comparison.Removed.ToFieldsV1());
    }
}
