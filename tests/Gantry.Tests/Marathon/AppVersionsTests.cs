using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Gantry.Server.Registry;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Marathon;

/// <summary>The versions Marathon keeps of an app, its rollbacks, and the rollback or cancellation of a deployment under way.</summary>
public sealed class AppVersionsTests : MarathonAppsTest
{

    private async Task<AppVersions> CreateAsync(string appId, string json = """{"cmd":"sleep 1000"}""")
    {
        var (_, versions) = await Apps.CreateAsync(JsonNode.Parse(json)!.AsObject(), appId, Ct);
        Registry.Context.Time.Advance(TimeSpan.FromSeconds(1));
        return versions;
    }

    private async Task<AppVersions> UpdateAsync(string appId, string json)
    {
        var versions = await Apps.UpdateAsync(appId, JsonNode.Parse(json)!.AsObject(), partial: true, Ct);
        Registry.Context.Time.Advance(TimeSpan.FromSeconds(1));
        return versions!;
    }

    private string Cmd(string appId) => AppView.Definition(Apps.Find(appId)!)["cmd"]!.GetValue<string>();

    private V1ControllerRevision Revision(string name) =>
        KubernetesJson.Deserialize<V1ControllerRevision>(new MemoryStream(Registry.Context.Registry.Get(
            Gantry.Server.Informers.InProcessClient.TypeOf<V1ControllerRevision>(), AppDeployments.Namespace, name)!.Json));

    private Task DeleteRevisionAsync(string deploymentName, string version) =>
        Registry.Client.DeleteAsync<V1ControllerRevision>(AppDeployments.Namespace, AppRevisions.Name(deploymentName, version), DeleteRequest.Default, Ct);

    [Fact]
    public async Task Every_change_is_a_version_listed_newest_first()
    {
        var created = await CreateAsync("/x");
        var scaled = await UpdateAsync("/x", """{"instances":2}""");
        var changed = await UpdateAsync("/x", """{"cmd":"other"}""");
        var restarted = await Apps.RestartAsync("/x", Ct);

        Assert.Equal([restarted.Version, changed.Version, scaled.Version, created.Version], Apps.Versions("/x"));
    }

    [Fact]
    public async Task A_version_shows_the_app_as_it_was_then_with_its_version_info()
    {
        var created = await CreateAsync("/x", """{"cmd":"first"}""");
        await UpdateAsync("/x", """{"cmd":"second"}""");

        var then = Apps.AppAt("/x", created.Version);

        Assert.Equal(("first", created.Version, created.Version), (
            then["cmd"]!.GetValue<string>(), then["version"]!.GetValue<string>(), then["versionInfo"]!["lastConfigChangeAt"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_app_whose_current_version_was_never_kept_lists_it_from_its_Deployment()
    {
        var created = await CreateAsync("/x", """{"cmd":"first"}""");
        await DeleteRevisionAsync("x", created.Version);

        var current = Apps.AppAt("/x", created.Version);

        Assert.Equal([created.Version], Apps.Versions("/x"));
        Assert.Equal(("first", created.Version), (current["cmd"]!.GetValue<string>(), current["versionInfo"]!["lastConfigChangeAt"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_change_whose_version_is_refused_is_still_made_and_its_version_listed()
    {
        await CreateAsync("/x", """{"cmd":"first"}""");
        // A namespace being deleted refuses new objects, the revision among them, but not a change to the Deployment.
        await Registry.Client.DeleteAsync<V1Namespace>(null, AppDeployments.Namespace, DeleteRequest.Default, Ct);

        var changed = await UpdateAsync("/x", """{"cmd":"second"}""");

        Assert.Equal(("second", changed.Version), (Cmd("/x"), Apps.Versions("/x")[0]));
    }

    [Fact]
    public async Task A_version_not_kept_is_a_404_naming_it()
    {
        await CreateAsync("/x");

        var refusal = Assert.Throws<MarathonException>(() => Apps.AppAt("/x", "2001-01-01T00:00:00Z"));

        Assert.Equal((404, "App '/x' does not exist in version 2001-01-01T00:00:00.000Z"), (refusal.Status, refusal.Message));
    }

    [Fact]
    public async Task A_version_is_a_ControllerRevision_owned_by_theApps_Deployment_and_labelled_with_it()
    {
        var created = await CreateAsync("/a/b");
        var deployment = Apps.Find("/a/b")!;

        var revision = Revision(AppRevisions.Name("a.b", created.Version));

        var owner = Assert.Single(revision.Metadata.OwnerReferences);
        Assert.Equal(("Deployment", "a.b", deployment.Metadata.Uid, true, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("a.b", revision.Metadata.Labels[AppDeployments.AppLabel]);
    }

    [Fact]
    public async Task Versions_beyond_marathons_limit_are_dropped_oldest_first()
    {
        var first = await CreateAsync("/x");
        var second = await UpdateAsync("/x", """{"instances":2}""");
        for (var i = 0; i < AppRevisions.MaxVersions - 1; i++)
        {
            await UpdateAsync("/x", $$"""{"instances":{{3 + i}}}""");
        }

        var kept = Apps.Versions("/x");

        Assert.Equal(AppRevisions.MaxVersions, kept.Count);
        Assert.DoesNotContain(first.Version, kept);
        Assert.Contains(second.Version, kept);
    }

    [Fact]
    public async Task A_rollback_makes_the_app_that_versions_definition_again_as_a_new_version()
    {
        var created = await CreateAsync("/x", """{"cmd":"first"}""");
        await UpdateAsync("/x", """{"cmd":"second"}""");

        var rolledBack = await UpdateAsync("/x", $$"""{"version":"{{created.Version}}"}""");

        Assert.Equal(("first", "RestartApplication"), (Cmd("/x"), rolledBack.Action));
        Assert.Equal(rolledBack.Version, Apps.Versions("/x")[0]);
    }

    [Fact]
    public async Task A_rollback_to_a_version_not_kept_is_a_404_for_the_app()
    {
        await CreateAsync("/x");

        var refusal = await Assert.ThrowsAsync<MarathonException>(() => UpdateAsync("/x", """{"version":"2001-01-01T00:00:00.000Z"}"""));

        Assert.Equal((404, "App '/x' does not exist"), (refusal.Status, refusal.Message));
    }

    [Fact]
    public async Task A_rollback_with_other_fields_is_a_422()
    {
        var created = await CreateAsync("/x");

        var refusal = await Assert.ThrowsAsync<MarathonException>(() => UpdateAsync("/x", $$"""{"version":"{{created.Version}}","cmd":"x"}"""));

        Assert.Equal(422, refusal.Status);
        Assert.Equal("The 'version' field may only be combined with the 'id' field.", refusal.Body["details"]![0]!["errors"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Rolling_back_a_deployment_under_way_restores_the_version_before_it()
    {
        await CreateAsync("/x", """{"cmd":"first"}""");
        var change = await UpdateAsync("/x", """{"cmd":"second"}""");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);

        var revert = await Apps.CancelDeploymentAsync(change.DeploymentId, force: false, _ => { }, Ct);

        Assert.NotEqual(change.DeploymentId, revert!.DeploymentId);
        Assert.Equal("first", Cmd("/x"));
    }

    [Fact]
    public async Task A_cancel_its_authorization_refuses_changes_nothing()
    {
        await CreateAsync("/x", """{"cmd":"first"}""");
        var change = await UpdateAsync("/x", """{"cmd":"second"}""");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);
        V1Deployment? judged = null;

        await Assert.ThrowsAsync<MarathonException>(() => Apps.CancelDeploymentAsync(
            change.DeploymentId, force: false, app => { judged = app; throw MarathonException.WithMessage(403, "Authorization Denied"); }, Ct));

        Assert.Equal(change.DeploymentId, judged!.Metadata.Annotations[AppDeployments.DeploymentIdAnnotation]);
        Assert.Equal("second", Cmd("/x"));
    }

    [Fact]
    public async Task Rolling_back_the_deployment_that_created_the_app_removes_it()
    {
        var created = await CreateAsync("/x");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);

        await Apps.CancelDeploymentAsync(created.DeploymentId, force: false, _ => { }, Ct);

        Assert.Null(Apps.Find("/x"));
    }

    [Fact]
    public async Task Rolling_back_a_deployment_whose_earlier_version_is_not_kept_is_a_409_and_leaves_the_app()
    {
        var created = await CreateAsync("/x", """{"cmd":"first"}""");
        var change = await UpdateAsync("/x", """{"cmd":"second"}""");
        // As for an app created before its versions were kept.
        await DeleteRevisionAsync("x", created.Version);
        await DeleteRevisionAsync("x", change.Version);
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);

        var refusal = await Assert.ThrowsAsync<MarathonException>(() => Apps.CancelDeploymentAsync(change.DeploymentId, force: false, _ => { }, Ct));

        Assert.Equal((409, $"Deployment {change.DeploymentId} cannot be rolled back: the version of app '/x' before it is not kept"),
            (refusal.Status, refusal.Message));
        Assert.Equal("second", Cmd("/x"));
    }

    [Fact]
    public async Task Only_the_deployment_that_created_the_app_is_the_one_whose_rollback_removes_it()
    {
        await CreateAsync("/x");
        var scaled = await UpdateAsync("/x", """{"instances":2}""");

        Assert.Equal((false, "ScaleApplication"), (MarathonApps.Started(Apps.Find("/x")!), scaled.Action));
    }

    [Fact]
    public async Task A_forced_cancel_pauses_the_rollout_and_the_deployment_is_no_longer_under_way()
    {
        var created = await CreateAsync("/x");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);

        Assert.Null(await Apps.CancelDeploymentAsync(created.DeploymentId, force: true, _ => { }, Ct));

        var app = Apps.Find("/x")!;
        Assert.Equal((true, false), (app.Spec.Paused, AppView.InProgress(app)));
    }

    [Fact]
    public async Task A_change_after_a_cancel_rolls_out_again()
    {
        var created = await CreateAsync("/x");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);
        await Apps.CancelDeploymentAsync(created.DeploymentId, force: true, _ => { }, Ct);

        await UpdateAsync("/x", """{"cmd":"other"}""");

        var app = Apps.Find("/x")!;
        Assert.Equal((null, false), (app.Spec.Paused, AppView.Cancelled(app)));
    }

    [Fact]
    public async Task A_rollout_paused_by_another_client_stays_paused_across_a_change()
    {
        await CreateAsync("/x");
        await Registry.Client.MutateAsync<V1Deployment>(AppDeployments.Namespace, "x", d => d.Spec.Paused = true, Ct);

        await UpdateAsync("/x", """{"cmd":"other"}""");

        Assert.True(Apps.Find("/x")!.Spec.Paused);
    }

    [Fact]
    public async Task A_change_after_a_cancel_drops_the_cancel()
    {
        var created = await CreateAsync("/x");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);
        await Apps.CancelDeploymentAsync(created.DeploymentId, force: true, _ => { }, Ct);

        await UpdateAsync("/x", """{"cmd":"other"}""");

        Assert.False(Apps.Find("/x")!.Metadata.Annotations.ContainsKey(AppDeployments.CancelledDeploymentAnnotation));
    }

    [Fact]
    public async Task Cancelling_a_deployment_not_under_way_is_a_404_in_marathons_words()
    {
        var refusal = await Assert.ThrowsAsync<MarathonException>(() => Apps.CancelDeploymentAsync("nope", force: true, _ => { }, Ct));

        Assert.Equal((404, "DeploymentPlan nope does not exist"), (refusal.Status, refusal.Message));
    }

    [Fact]
    public async Task Deleting_a_group_removes_every_app_under_it_and_no_other()
    {
        await CreateAsync("/shop/web");
        await CreateAsync("/shop/db/main");
        await CreateAsync("/other");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);

        var (_, removed) = await Apps.DeleteGroupAsync("/shop", (_, _) => { }, Ct);

        Assert.Equal(["/shop/db/main", "/shop/web"], removed);
        Assert.Equal((true, true, false), (Apps.Find("/shop/web") is null, Apps.Find("/shop/db/main") is null, Apps.Find("/other") is null));
    }

    [Fact]
    public async Task Deleting_a_group_removes_an_app_written_the_moment_before()
    {
        // No settling: the informers may not have the app yet, the registry has.
        await CreateAsync("/shop/web");

        var (_, removed) = await Apps.DeleteGroupAsync("/shop", (_, _) => { }, Ct);

        Assert.Equal(["/shop/web"], removed);
        Assert.Null(Apps.Find("/shop/web"));
    }

    [Fact]
    public async Task Deleting_a_group_with_noApps_is_a_404_in_marathons_words()
    {
        var refusal = await Assert.ThrowsAsync<MarathonException>(() => Apps.DeleteGroupAsync("/none", (_, _) => { }, Ct));

        Assert.Equal((404, "Group '/none' does not exist"), (refusal.Status, refusal.Message));
    }
}
