using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// Label selectors (equality- and set-based) and field selectors, over the four pods of
/// manifests/pods-labelled.yaml: prod{env=prod,tier=frontend,app=x} qa{env=qa,app=z} dev{env=dev,tier=backend} plain{}.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class SelectorTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Label_selector_in_set_matches_any_listed_value()
    {
        var ns = await LabelledPods("sel-in");

        Assert.Equal(["prod", "qa"], Sorted(await Names(ns, "pods", "-l", "env in (prod,qa)")));
    }

    [Fact]
    public async Task Label_selector_not_exists_matches_objects_without_the_key()
    {
        var ns = await LabelledPods("sel-notexists");

        Assert.Equal(["plain", "qa"], Sorted(await Names(ns, "pods", "-l", "!tier")));
    }

    [Fact]
    public async Task Label_selector_not_equals_also_matches_objects_without_the_key()
    {
        var ns = await LabelledPods("sel-notequal");

        Assert.Equal(["dev", "plain", "qa"], Sorted(await Names(ns, "pods", "-l", "app!=x")));
    }

    [Fact]
    public async Task Label_selector_requirements_are_all_required()
    {
        var ns = await LabelledPods("sel-and");

        Assert.Equal(["dev", "qa"], Sorted(await Names(ns, "pods", "-l", "env,tier notin (frontend)")));
    }

    [Fact]
    public async Task Field_selector_metadata_name_selects_one_object()
    {
        var ns = await LabelledPods("fsel-name");

        Assert.Equal(["qa"], await Names(ns, "pods", "--field-selector", "metadata.name=qa"));
    }

    [Fact]
    public async Task Field_selector_status_phase_filters_by_phase()
    {
        var ns = await LabelledPods("fsel-phase");

        Assert.Equal(["dev", "plain", "prod", "qa"], Sorted(await Names(ns, "pods", "--field-selector", "status.phase=Pending")));
        Assert.Empty(await Names(ns, "pods", "--field-selector", "status.phase=Running"));
        Assert.Equal(["dev", "plain", "prod", "qa"], Sorted(await Names(ns, "pods", "--field-selector", "status.phase!=Running")));
    }

    [Fact]
    public async Task Field_selector_on_an_unsupported_field_is_rejected()
    {
        var ns = await LabelledPods("fsel-bad");

        var result = await Fails("get", "pods", "-n", ns, "--field-selector", "spec.bogus=x");

        Check.StderrContains(result, "field label not supported");
    }

    private async Task<string> LabelledPods(string shortName)
    {
        var ns = await CreateNamespaceAsync(shortName);
        await Ok("create", "-f", Manifest("pods-labelled.yaml"), "-n", ns);
        return ns;
    }

    private static string[] Sorted(IEnumerable<string> names) => [.. names.Order(StringComparer.Ordinal)];
}
