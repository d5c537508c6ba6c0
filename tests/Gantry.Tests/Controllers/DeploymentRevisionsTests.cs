using Gantry.Server.Controllers;
using Xunit;

namespace Gantry.Tests.Controllers;

public sealed class DeploymentRevisionsTests
{
    [Fact]
    public void Templates_differing_only_in_the_hash_label_are_equal()
    {
        var a = Deployments.Template("nginx:1");
        var b = Deployments.Template("nginx:1");
        b.Metadata.Labels[DeploymentRevisions.PodTemplateHashLabel] = "abc";

        Assert.True(DeploymentRevisions.EqualIgnoreHash(a, b));
        Assert.False(DeploymentRevisions.EqualIgnoreHash(a, Deployments.Template("nginx:2")));
    }

    [Fact]
    public void The_template_hash_is_stable_and_changes_with_the_template_and_collisions()
    {
        var hash = DeploymentRevisions.PodTemplateHash(Deployments.Template("nginx:1"), null);

        Assert.Equal(hash, DeploymentRevisions.PodTemplateHash(Deployments.Template("nginx:1"), null));
        Assert.NotEqual(hash, DeploymentRevisions.PodTemplateHash(Deployments.Template("nginx:2"), null));
        Assert.NotEqual(hash, DeploymentRevisions.PodTemplateHash(Deployments.Template("nginx:1"), 1));
        Assert.All(hash, c => Assert.Contains(c, "bcdfghjklmnpqrstvwxz2456789"));
    }

    [Fact]
    public void Rolling_back_to_an_old_replica_set_raises_its_revision_and_keeps_the_old_one_in_history()
    {
        var d = Deployments.Rolling(3, "1", "1");
        d.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/change-cause"] = "undo", [DeploymentRevisions.RevisionAnnotation] = "2" };
        var rs = Deployments.ReplicaSet("old", 0, revision: 1);

        var changed = DeploymentRevisions.SetNewReplicaSetAnnotations(d, rs, 3, exists: true);

        Assert.True(changed);
        Assert.Equal("3", rs.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation]);
        Assert.Equal("1", rs.Metadata.Annotations[DeploymentRevisions.RevisionHistoryAnnotation]);
        Assert.Equal("undo", rs.Metadata.Annotations["kubernetes.io/change-cause"]);
    }

    [Fact]
    public void A_new_replica_set_records_desired_and_maximum_replicas()
    {
        var d = Deployments.Rolling(4, "1", "1");
        var rs = Deployments.ReplicaSet("new", 0);

        DeploymentRevisions.SetNewReplicaSetAnnotations(d, rs, 1, exists: false);

        Assert.Equal("4", rs.Metadata.Annotations[DeploymentRevisions.DesiredReplicasAnnotationKey]);
        Assert.Equal("5", rs.Metadata.Annotations[DeploymentRevisions.MaxReplicasAnnotationKey]);
        Assert.Equal("1", rs.Metadata.Annotations[DeploymentRevisions.RevisionAnnotation]);
    }

    [Fact]
    public void Rollback_target_is_the_replica_set_template_without_its_hash_and_with_its_annotations()
    {
        var d = Deployments.Rolling(3, "1", "1");
        d.Metadata.Annotations = new Dictionary<string, string> { [DeploymentRevisions.RevisionAnnotation] = "2", ["kubernetes.io/change-cause"] = "v2" };
        var rs = Deployments.ReplicaSet("old", 0, revision: 1);
        rs.Spec.Template.Metadata.Labels[DeploymentRevisions.PodTemplateHashLabel] = "abc";
        rs.Metadata.Annotations["kubernetes.io/change-cause"] = "v1";

        var (template, annotations) = DeploymentRevisions.RollbackTarget(d, rs);

        Assert.False(template.Metadata.Labels.ContainsKey(DeploymentRevisions.PodTemplateHashLabel));
        Assert.Equal("v1", annotations["kubernetes.io/change-cause"]);
        Assert.Equal("2", annotations[DeploymentRevisions.RevisionAnnotation]);
    }
}
