using Gantry.Server.Registry.CustomResources;
using Xunit;

namespace Gantry.Tests.Api.CustomResources;

public sealed class CustomResourceTypesTests
{
    [Fact]
    public void A_served_version_of_an_established_definition_is_a_type_stored_under_the_custom_resource_bucket()
    {
        var entry = Assert.Single(CustomResourceTypes.TypesOf(CustomResourceDefinitions.CronTabs()));

        Assert.Same(entry.Served, entry.Stored);
        Assert.Equal("stable.example.com/v1", entry.Stored.ApiVersion);
        Assert.Equal("/registry/customresources/stable.example.com/crontabs/", entry.Stored.KeyPrefix);
        Assert.Equal("/registry/customresources/stable.example.com/crontabs/default/x", entry.Stored.Key("default", "x"));
        Assert.True(entry.Stored.Namespaced);
        Assert.Equal(["ct"], entry.Stored.ShortNames);
        Assert.True(entry.Stored.HasSubresource("status"));
    }

    [Fact]
    public async Task A_version_other_than_the_storage_version_is_served_by_converting_its_api_version()
    {
        var entries = CustomResourceTypes.TypesOf(CustomResourceDefinitions.CronTabs(true, "v1", "v1beta1")).ToList();

        var beta = Assert.Single(entries, e => e.Served.Version == "v1beta1");
        Assert.Equal("v1", beta.Stored.Version);
        var stored = new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "stable.example.com/v1", ["kind"] = "CronTab" };
        var served = (await beta.Served.Conversion!.FromStorageAsync([stored], CancellationToken.None)).Single();
        Assert.Equal("stable.example.com/v1beta1", (string?)served["apiVersion"]);
        Assert.Equal("stable.example.com/v1", (string?)(await beta.Served.Conversion.ToStorageAsync(served, CancellationToken.None))["apiVersion"]);
    }

    [Fact]
    public void A_storage_version_that_is_not_served_is_still_a_stored_type_but_not_found_by_path()
    {
        var definition = CustomResourceDefinitions.CronTabs(true, "v1", "v1beta1");
        definition.Spec.Versions[0].Served = false;

        var set = new CustomResourceTypeSet([.. CustomResourceTypes.TypesOf(definition)]);

        Assert.Equal("v1", Assert.Single(set.StoredTypes).Version);
        Assert.Null(set.Find("stable.example.com", "v1", "crontabs"));
        Assert.Equal("v1", set.Find("stable.example.com", "v1beta1", "crontabs")!.Stored.Version);
    }

    [Fact]
    public void A_version_a_built_in_type_serves_is_left_to_it()
    {
        var definition = CustomResourceDefinitions.CronTabs();
        definition.Spec.Group = "apps";
        definition.Spec.Names.Plural = "deployments";

        var set = new CustomResourceTypeSet([.. CustomResourceTypes.TypesOf(definition)]);

        Assert.Null(set.Find("apps", "v1", "deployments"));
        Assert.Empty(set.Entries);
    }

    [Fact]
    public async Task An_object_stored_in_an_earlier_storage_version_reads_in_the_version_asked_for()
    {
        var stored = CustomResourceTypes.TypesOf(CustomResourceDefinitions.CronTabs()).Single().Stored;
        var old = new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "stable.example.com/v1alpha1", ["kind"] = "CronTab" };

        var path = new Gantry.Server.Api.ResourcePath(stored, "default", "x", null);

        Assert.Equal("stable.example.com/v1", (string?)(await path.ToServedAsync(old, CancellationToken.None))["apiVersion"]);
    }

    [Fact]
    public void A_type_set_finds_a_served_type_by_its_path_and_by_its_kind()
    {
        var set = new CustomResourceTypeSet([.. CustomResourceTypes.TypesOf(CustomResourceDefinitions.CronTabs(true, "v1", "v1beta1"))]);

        Assert.Equal("v1beta1", set.Find("stable.example.com", "v1beta1", "crontabs")!.Served.Version);
        Assert.Equal("v1", set.FindByKind("stable.example.com/v1beta1", "CronTab")!.Stored.Version);
        Assert.Null(set.Find("stable.example.com", "v2", "crontabs"));
        Assert.Single(set.StoredTypes);
    }
}
