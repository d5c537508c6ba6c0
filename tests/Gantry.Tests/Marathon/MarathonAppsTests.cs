using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Marathon;

/// <summary>Marathon's app operations on real informers over a registry whose clock the test moves.</summary>
public sealed class MarathonAppsTests : MarathonAppsTest
{

    private Task<(V1Deployment App, AppVersions Versions)> CreateAsync(string appId, string json = """{"cmd":"sleep 1000"}""") =>
        Apps.CreateAsync(JsonNode.Parse(json)!.AsObject(), appId, Ct);

    private Task<AppVersions?> UpdateAsync(string appId, string json, bool partial = true) => Apps.UpdateAsync(appId, JsonNode.Parse(json)!.AsObject(), partial, Ct);

    /// <summary>The app's Deployment as the registry stores it.</summary>
    private V1Deployment Stored(string name) =>
        KubernetesJson.Deserialize<V1Deployment>(new MemoryStream(Registry.Context.Registry.Get(RegistryTestContext.Deployments, AppDeployments.Namespace, name)!.Json));

    private string ConfigVersion(string name) => Stored(name).Spec.Template.Metadata.Annotations[AppDeployments.ConfigVersionAnnotation];

    private int FirstPort(string appId) => AppView.Definition(Apps.Find(appId)!)["portDefinitions"]![0]!["port"]!.GetValue<int>();

    [Fact]
    public async Task A_created_app_is_stored_as_a_Deployment_in_the_marathon_namespace()
    {
        await CreateAsync("/a/b");

        Assert.Equal("/a/b", Stored("a.b").Metadata.Annotations[AppDeployments.AppIdAnnotation]);
    }

    [Fact]
    public async Task A_created_app_is_found_by_its_id_at_once()
    {
        await CreateAsync("/x");

        Assert.NotNull(Apps.Find("/x"));
    }

    [Fact]
    public async Task Creating_an_app_whose_id_is_taken_is_a_409()
    {
        await CreateAsync("/x");

        var refusal = await Assert.ThrowsAsync<MarathonException>(() => CreateAsync("/x"));

        Assert.Equal((409, "An app with id [/x] already exists."), (refusal.Status, refusal.Message));
    }

    [Fact]
    public async Task Creating_an_app_whose_Deployment_name_another_app_holds_is_a_409_naming_the_Deployment()
    {
        await CreateAsync("/a/b");

        var refusal = await Assert.ThrowsAsync<MarathonException>(() => CreateAsync("/a.b"));

        Assert.Equal(
            (409, "An app with id [/a.b] cannot be created: another app's id names the same Deployment, a.b"),
            (refusal.Status, refusal.Message));
    }

    [Fact]
    public async Task Creating_an_invalid_app_is_a_422_and_stores_nothing()
    {
        var refusal = await Assert.ThrowsAsync<MarathonException>(() => CreateAsync("/x", """{"cmd":"sleep 1","cpus":-1}"""));

        Assert.Equal(422, refusal.Status);
        Assert.Null(Apps.Find("/x"));
    }

    [Fact]
    public async Task Changing_only_the_instances_is_a_scale_that_keeps_the_config_version()
    {
        await CreateAsync("/x");
        var created = ConfigVersion("x");
        Registry.Context.Time.Advance(TimeSpan.FromSeconds(1));

        var versions = await UpdateAsync("/x", """{"instances":3}""");

        Assert.Equal(("ScaleApplication", created, created), (versions!.Action, versions.ConfigVersion, ConfigVersion("x")));
        Assert.Equal(3, Stored("x").Spec.Replicas);
    }

    [Fact]
    public async Task Changing_the_command_is_a_new_config_version()
    {
        await CreateAsync("/x");
        var created = ConfigVersion("x");
        Registry.Context.Time.Advance(TimeSpan.FromSeconds(1));

        var versions = await UpdateAsync("/x", """{"cmd":"other"}""");

        Assert.Equal("RestartApplication", versions!.Action);
        Assert.NotEqual(created, ConfigVersion("x"));
        Assert.Equal(versions.ConfigVersion, ConfigVersion("x"));
    }

    [Fact]
    public async Task An_update_keeps_the_fields_it_does_not_give()
    {
        await CreateAsync("/x", """{"cmd":"sleep 1","mem":64,"env":{"A":"1"}}""");

        await UpdateAsync("/x", """{"cmd":"other"}""");

        var definition = AppView.Definition(Apps.Find("/x")!);
        Assert.Equal((64.0, "1"), (definition["mem"]!.GetValue<double>(), definition["env"]!["A"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_full_update_returns_the_fields_it_does_not_give_to_their_defaults()
    {
        await CreateAsync("/x", """{"cmd":"sleep 1","mem":64,"env":{"A":"1"}}""");

        await UpdateAsync("/x", """{"cmd":"other"}""", partial: false);

        var definition = AppView.Definition(Apps.Find("/x")!);
        Assert.Equal((AppDefinition.DefaultMem, 0), (definition["mem"]!.GetValue<double>(), definition["env"]!.AsObject().Count));
    }

    [Fact]
    public async Task Updating_an_unknown_app_gives_null()
    {
        Assert.Null(await UpdateAsync("/missing", """{"instances":2}"""));
    }

    [Fact]
    public async Task An_invalid_update_is_a_422_that_leaves_the_app_unchanged()
    {
        await CreateAsync("/x");

        var refusal = await Assert.ThrowsAsync<MarathonException>(() => UpdateAsync("/x", """{"instances":-1}"""));

        Assert.Equal(422, refusal.Status);
        Assert.Equal(1, Stored("x").Spec.Replicas);
    }

    [Fact]
    public async Task A_port_0_definition_is_given_the_first_service_port()
    {
        await CreateAsync("/x");

        Assert.Equal(ServicePorts.First, FirstPort("/x"));
    }

    [Fact]
    public async Task TwoApps_asking_for_port_0_get_different_service_ports()
    {
        await CreateAsync("/one");
        await CreateAsync("/two");

        Assert.Equal((10000, 10001), (FirstPort("/one"), FirstPort("/two")));
    }

    [Fact]
    public async Task TwoApps_asking_for_port_0_get_different_service_ports_once_the_first_is_informed()
    {
        await CreateAsync("/one");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);

        await CreateAsync("/two");

        Assert.Equal((10000, 10001), (FirstPort("/one"), FirstPort("/two")));
    }

    [Fact]
    public async Task An_update_keeps_the_service_port_the_app_was_given()
    {
        await CreateAsync("/x");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);

        await UpdateAsync("/x", """{"cmd":"other"}""");

        Assert.Equal(10000, FirstPort("/x"));
    }

    [Fact]
    public async Task An_upgrade_strategy_that_rounds_to_no_room_either_way_is_stored()
    {
        // 0.996 rounds to a 0% maxUnavailable, which with a 0% maxSurge the Deployment's own rules refuse.
        await CreateAsync("/x", """{"cmd":"sleep 1","upgradeStrategy":{"minimumHealthCapacity":0.996,"maximumOverCapacity":0}}""");

        Assert.NotNull(Apps.Find("/x"));
    }

    [Fact]
    public void TheApps_are_recovered_once_the_informers_have_listed()
    {
        Assert.True(Apps.Recovered);
    }

    [Fact]
    public async Task Restarting_gives_a_new_config_version()
    {
        await CreateAsync("/x");
        var created = ConfigVersion("x");
        Registry.Context.Time.Advance(TimeSpan.FromSeconds(1));

        await Apps.RestartAsync("/x", Ct);

        Assert.NotEqual(created, ConfigVersion("x"));
    }

    [Fact]
    public async Task Restarting_an_unknown_app_is_a_404()
    {
        var refusal = await Assert.ThrowsAsync<MarathonException>(() => Apps.RestartAsync("/missing", Ct));

        Assert.Equal((404, "App '/missing' does not exist"), (refusal.Status, refusal.Message));
    }

    private Task<GroupWrite> WriteGroupAsync(string groupId, string update, bool create = false, Action<string, string>? authorize = null) =>
        Apps.UpdateGroupAsync(groupId, JsonNode.Parse(update)!.AsObject(), create, authorize ?? ((_, _) => { }), Ct);

    [Fact]
    public async Task A_created_group_creates_its_apps_in_one_deployment()
    {
        var write = await WriteGroupAsync("/shop", """{"apps":[{"id":"web","cmd":"sleep 1000"},{"id":"cart","cmd":"sleep 1000","instances":2}]}""", create: true);

        Assert.Equal(["/shop/cart", "/shop/web"], write.Written.Order(StringComparer.Ordinal));
        Assert.Equal(2, Stored("shop.cart").Spec.Replicas);
        Assert.Equal(write.Versions.DeploymentId, Stored("shop.web").Metadata.Annotations[AppDeployments.DeploymentIdAnnotation]);
    }

    [Fact]
    public async Task Creating_a_group_that_exists_is_a_409_in_marathons_words()
    {
        await CreateAsync("/shop/web");

        var refusal = await Assert.ThrowsAsync<MarathonException>(() => WriteGroupAsync("/shop", """{"apps":[{"id":"cart","cmd":"sleep 1"}]}""", create: true));

        Assert.Equal((409, "Group /shop is already created. Use PUT to change this group."), (refusal.Status, refusal.Message));
    }

    [Fact]
    public async Task Creating_a_group_without_apps_is_refused_rather_than_lost()
    {
        var refusal = await Assert.ThrowsAsync<MarathonException>(() => WriteGroupAsync("/empty", "{}", create: true));

        Assert.Equal(422, refusal.Status);
    }

    [Fact]
    public async Task Changing_a_group_removes_its_apps_not_given_and_leaves_an_unchanged_app_alone()
    {
        await WriteGroupAsync("/shop", """{"apps":[{"id":"web","cmd":"sleep 1000"},{"id":"cart","cmd":"sleep 1000"}]}""", create: true);
        var webVersion = Stored("shop.web").Metadata.Annotations[AppDeployments.VersionAnnotation];

        var write = await WriteGroupAsync("/shop", """{"apps":[{"id":"web","cmd":"sleep 1000"}]}""");

        Assert.Equal((0, "/shop/cart"), (write.Written.Count, Assert.Single(write.Removed)));
        Assert.Null(Apps.Find("/shop/cart"));
        Assert.Equal(webVersion, Stored("shop.web").Metadata.Annotations[AppDeployments.VersionAnnotation]);
    }

    [Fact]
    public async Task Scaling_a_group_multiplies_every_apps_instances_rounding_up()
    {
        await CreateAsync("/shop/web", """{"cmd":"sleep 1000","instances":3}""");
        await CreateAsync("/shop/db/pg", """{"cmd":"sleep 1000","instances":1}""");
        var config = ConfigVersion("shop.web");

        await WriteGroupAsync("/shop", """{"scaleBy":1.5}""");

        Assert.Equal((5, 2), (Stored("shop.web").Spec.Replicas, Stored("shop.db.pg").Spec.Replicas));
        Assert.Equal(config, ConfigVersion("shop.web"));
    }

    [Fact]
    public async Task A_group_write_refused_for_one_app_writes_none()
    {
        await CreateAsync("/shop/web");

        await Assert.ThrowsAsync<MarathonException>(() => WriteGroupAsync("/shop", """{"apps":[{"id":"cart","cmd":"sleep 1"}]}""",
            authorize: (verb, appId) =>
            {
                if (verb == "delete")
                {
                    throw MarathonException.WithMessage(403, "Authorization Denied");
                }
            }));

        Assert.Null(Apps.Find("/shop/cart"));
        Assert.NotNull(Apps.Find("/shop/web"));
    }

    [Fact]
    public async Task Deleting_a_groups_deployment_rolls_every_app_it_changed_back()
    {
        await WriteGroupAsync("/shop", """{"apps":[{"id":"web","cmd":"sleep 1000"},{"id":"cart","cmd":"sleep 1000"}]}""", create: true);
        var changed = await WriteGroupAsync("/shop", """{"apps":[{"id":"web","cmd":"sleep 2000"},{"id":"cart","cmd":"sleep 2000"}]}""");
        await Registry.SettleAsync<V1Deployment>(RegistryTestContext.Deployments);

        await Apps.CancelDeploymentAsync(changed.Versions.DeploymentId, force: false, _ => { }, Ct);

        Assert.Equal(("sleep 1000", "sleep 1000"),
            (AppView.Definition(Apps.Find("/shop/web")!)["cmd"]!.GetValue<string>(), AppView.Definition(Apps.Find("/shop/cart")!)["cmd"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Scaling_a_group_together_with_other_changes_is_refused()
    {
        await CreateAsync("/shop/web");

        var refusal = await Assert.ThrowsAsync<MarathonException>(() => WriteGroupAsync("/shop", """{"scaleBy":2,"apps":[]}"""));

        Assert.Equal((422, "not allowed in conjunction with other properties."), (refusal.Status, refusal.Body["details"]![0]!["errors"]![0]!.GetValue<string>()));
        Assert.NotNull(Apps.Find("/shop/web"));
    }

    [Fact]
    public async Task A_group_where_an_app_is_is_refused()
    {
        await CreateAsync("/shop/web");

        var refusal = await Assert.ThrowsAsync<MarathonException>(() => WriteGroupAsync("/shop/web", """{"apps":[{"id":"x","cmd":"sleep 1"}]}"""));

        Assert.Equal(422, refusal.Status);
        Assert.Null(Apps.Find("/shop/web/x"));
    }

    [Fact]
    public async Task Two_new_apps_whose_deployments_would_share_a_name_are_refused_before_either_is_written()
    {
        var refusal = await Assert.ThrowsAsync<MarathonException>(() => WriteGroupAsync("/shop",
            """{"apps":[{"id":"a.b","cmd":"sleep 1"}],"groups":[{"id":"a","apps":[{"id":"b","cmd":"sleep 1"}]}]}""", create: true));

        Assert.Equal(409, refusal.Status);
        Assert.Null(Apps.Find("/shop/a.b"));
        Assert.Null(Apps.Find("/shop/a/b"));
    }

    [Fact]
    public async Task Deleting_a_group_needs_the_right_to_delete_each_of_its_apps()
    {
        await CreateAsync("/shop/web");

        await Assert.ThrowsAsync<MarathonException>(() => Apps.DeleteGroupAsync("/shop", (_, _) => throw MarathonException.WithMessage(403, "Authorization Denied"), Ct));

        Assert.NotNull(Apps.Find("/shop/web"));
    }

    [Fact]
    public async Task A_repeated_put_of_a_group_whose_apps_ask_for_service_ports_changes_nothing()
    {
        const string Update = """{"apps":[{"id":"web","cmd":"sleep 1000","portDefinitions":[{"port":0}]}]}""";
        await WriteGroupAsync("/shop", Update, create: true);

        var again = await WriteGroupAsync("/shop", Update);

        Assert.Empty(again.Written);
    }
}
