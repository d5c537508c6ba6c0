using Gantry.Server.Registry.CustomResources.Schema;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

/// <summary>pkg/apiserver/schema/objectmeta/validation.go.</summary>
public sealed class EmbeddedResourceValidationTests
{
    private static readonly StructuralSchema Schema = Schemas.WithSpec("""
        {"template":{"type":"object","x-kubernetes-embedded-resource":true,"x-kubernetes-preserve-unknown-fields":true}}
        """);

    private static string[] ErrorsOf(string template) =>
        StructuralValidation.ValidateEmbeddedResources(Schemas.Object("""{"spec":{"template":""" + template + "}}"), Schema)
            .Select(e => e.ToString()).ToArray();

    [Fact]
    public void An_embedded_resource_needs_api_version_and_kind()
    {
        Assert.Equal(["spec.template.apiVersion: Required value", "spec.template.kind: Required value"], ErrorsOf("{}"));
    }

    [Fact]
    public void A_well_formed_embedded_resource_is_valid()
    {
        Assert.Empty(ErrorsOf("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}}}"""));
    }

    [Fact]
    public void Type_meta_must_be_non_empty_strings_and_a_group_version()
    {
        Assert.Equal(
        [
            "spec.template.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c",
            "spec.template.kind: Invalid value: 1: must be a string",
        ], ErrorsOf("""{"apiVersion":"a/b/c","kind":1}"""));
    }

    [Fact]
    public void A_kind_may_have_mixed_case_but_must_otherwise_be_a_dns_1035_label()
    {
        var error = Assert.Single(ErrorsOf("""{"apiVersion":"v1","kind":"My_Kind"}"""));

        Assert.StartsWith("""spec.template.kind: Invalid value: "My_Kind": may have mixed case, but should otherwise match: a DNS-1035 label must consist of""", error);
    }

    [Fact]
    public void Metadata_names_are_path_segments()
    {
        Assert.Equal(["""spec.template.metadata.name: Invalid value: "a/b": may not contain '/'"""],
            ErrorsOf("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a/b"}}"""));
    }
}
