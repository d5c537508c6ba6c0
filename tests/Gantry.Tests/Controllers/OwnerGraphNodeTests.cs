using System.Text;
using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class OwnerGraphNodeTests
{
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    private static OwnerGraphNode? Parse(string json) => OwnerGraphNode.Parse(Pods, Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Reads_identity_owners_finalizers_and_deletion_from_the_metadata()
    {
        var node = Parse("""
            {"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"c","image":"busybox"}]},
             "metadata":{"name":"web-1","namespace":"shop","uid":"u-1","deletionTimestamp":"2026-11-27T10:00:00Z",
              "managedFields":[{"manager":"m","fieldsV1":{"f:metadata":{"f:uid":{}}}}],
              "finalizers":["foregroundDeletion"],
              "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"rs-1","controller":true,"blockOwnerDeletion":true}]},
             "status":{"phase":"Running"}}
            """);

        Assert.NotNull(node);
        Assert.Equal(("shop", "web-1", "u-1"), (node.Namespace, node.Name, node.Uid));
        Assert.True(node.Deleting);
        Assert.Equal(["foregroundDeletion"], node.Finalizers);
        Assert.Equal(new OwnerGraphReference("apps/v1", "ReplicaSet", "web", "rs-1", true, true), Assert.Single(node.Owners));
    }

    [Fact]
    public void Members_of_the_same_name_outside_the_top_metadata_are_not_read()
    {
        var node = Parse("""
            {"spec":{"template":{"metadata":{"name":"template","uid":"t"}}},
             "metadata":{"name":"web","uid":"u-2","deletionTimestamp":null,"labels":{"uid":"label"}}}
            """);

        Assert.NotNull(node);
        Assert.Equal(("web", "u-2"), (node.Name, node.Uid));
        Assert.Null(node.Namespace);
        Assert.False(node.Deleting);
        Assert.Empty(node.Owners);
        Assert.Empty(node.Finalizers);
    }

    [Fact]
    public void An_object_without_a_uid_is_not_a_node()
    {
        Assert.Null(Parse("""{"metadata":{"name":"web"}}"""));
        Assert.Null(Parse("""{"kind":"Pod"}"""));
    }
}
