using Gantry.Core.Validation;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Validation;

public sealed class FieldErrorTests
{
    [Fact]
    public void Not_supported_lists_the_supported_values_quoted()
    {
        var error = FieldErrors.NotSupported(FieldPath.Of("spec", "restartPolicy"), "Sometimes", ["Always", "OnFailure", "Never"]);

        Assert.Equal("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"", error.ToString());
        Assert.Equal("FieldValueNotSupported", error.Reason);
    }

    [Fact]
    public void Strings_are_quoted_with_go_escapes()
    {
        var error = FieldErrors.Invalid(FieldPath.Of("data"), "a\"b\n", "bad");

        Assert.Equal("data: Invalid value: \"a\\\"b\\n\": bad", error.ToString());
    }

    [Fact]
    public void Paths_render_indexes_and_keys_like_field_path()
    {
        var path = FieldPath.Of("spec", "containers").Index(0).Child("resources").Child("limits").Key("cpu");

        Assert.Equal("spec.containers[0].resources.limits[cpu]", path.ToString());
    }

    [Fact]
    public void Maps_print_as_go_does_with_sorted_keys()
    {
        var value = GoValue.Map(new Dictionary<string, string> { ["tier"] = "a", ["app"] = "x" });

        Assert.Equal("map[string]string{\"app\":\"x\", \"tier\":\"a\"}", value.ToString());
        Assert.Equal("map[string]string(nil)", GoValue.Map(null).ToString());
    }

    [Fact]
    public void Label_selectors_print_as_go_does()
    {
        var value = GoValue.LabelSelector(new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "x" } });

        Assert.Equal("v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}", value.ToString());
    }

    [Fact]
    public void Not_found_shows_the_missing_value()
    {
        var error = FieldErrors.NotFound(FieldPath.Of("spec", "containers").Index(0).Child("volumeMounts").Index(0).Child("name"), "data");

        Assert.Equal("spec.containers[0].volumeMounts[0].name: Not found: \"data\"", error.ToString());
        Assert.Equal("FieldValueNotFound", error.Reason);
    }

    [Fact]
    public void Too_many_shows_the_actual_count()
    {
        Assert.Equal("spec.rules: Too many: 25: must have at most 20 items", FieldErrors.TooMany(FieldPath.Of("spec", "rules"), 25, 20).ToString());
    }
}
