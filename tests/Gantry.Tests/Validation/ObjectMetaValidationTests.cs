using Gantry.Core.Resources;
using Gantry.Core.Validation;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Validation;

public sealed class ObjectMetaValidationTests
{
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Services = ResourceCatalog.Get("", "services");
    private static readonly ResourceType Namespaces = ResourceCatalog.Get("", "namespaces");

    [Fact]
    public void Invalid_pod_name_is_reported_on_metadata_name_with_the_subdomain_message()
    {
        var error = Assert.Single(ObjectMetaValidation.ValidateName(Pods, "Bad_Name", null));

        Assert.Equal(FieldErrorType.Invalid, error.Type);
        Assert.Equal("metadata.name", error.Field);
        Assert.Equal(
            "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            error.ToString());
    }

    [Fact]
    public void Missing_name_requires_name_or_generate_name()
    {
        var error = Assert.Single(ObjectMetaValidation.ValidateName(Pods, null, null));

        Assert.Equal("metadata.name: Required value: name or generateName is required", error.ToString());
        Assert.Equal("FieldValueRequired", error.Reason);
    }

    [Fact]
    public void Generate_name_may_end_with_a_dash_and_stands_in_for_the_name()
    {
        Assert.Empty(ObjectMetaValidation.ValidateName(Pods, null, "web-"));
    }

    [Fact]
    public void Invalid_generate_name_is_reported_on_metadata_generate_name()
    {
        var error = Assert.Single(ObjectMetaValidation.ValidateName(Pods, null, "Web-"));

        Assert.Equal("metadata.generateName", error.Field);
    }

    [Fact]
    public void Service_names_follow_the_dns_1035_label_rule()
    {
        var error = Assert.Single(ObjectMetaValidation.ValidateName(Services, "1web", null));

        Assert.Contains("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character", error.Detail);
        Assert.Empty(ObjectMetaValidation.ValidateName(Pods, "1web", null));
    }

    [Fact]
    public void Namespace_names_may_not_contain_dots()
    {
        var error = Assert.Single(ObjectMetaValidation.ValidateName(Namespaces, "team.a", null));

        Assert.Equal("metadata.name: Invalid value: \"team.a\": must not contain dots", error.ToString());
    }

    [Fact]
    public void Invalid_label_key_is_reported_on_metadata_labels()
    {
        var labels = new Dictionary<string, string> { ["x y"] = "v" };

        var error = Assert.Single(ObjectMetaValidation.ValidateLabels(labels, FieldPath.Of("metadata", "labels")));

        Assert.Equal(
            "metadata.labels: Invalid value: \"x y\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            error.ToString());
    }

    [Fact]
    public void Invalid_label_value_is_reported_with_the_value()
    {
        var labels = new Dictionary<string, string> { ["app"] = "-web" };

        var error = Assert.Single(ObjectMetaValidation.ValidateLabels(labels, FieldPath.Of("metadata", "labels")));

        Assert.StartsWith("metadata.labels: Invalid value: \"-web\": a valid label must be an empty string", error.ToString());
    }

    [Fact]
    public void Annotation_keys_are_checked_without_regard_to_case()
    {
        var annotations = new Dictionary<string, string> { ["Example.COM/Key"] = "v", ["bad key"] = "v" };

        var error = Assert.Single(ObjectMetaValidation.ValidateAnnotations(annotations, FieldPath.Of("metadata", "annotations")));

        Assert.Equal("bad key", error.BadValue);
    }

    [Fact]
    public void Annotations_over_256_kib_are_too_long()
    {
        var annotations = new Dictionary<string, string> { ["big"] = new string('x', 256 * 1024) };

        var error = Assert.Single(ObjectMetaValidation.ValidateAnnotations(annotations, FieldPath.Of("metadata", "annotations")));

        Assert.Equal("metadata.annotations: Too long: may not be more than 262144 bytes", error.ToString());
    }

    [Fact]
    public void Metadata_validation_covers_name_labels_and_finalizers()
    {
        var metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            Finalizers = ["example.com/cleanup", "no way"],
        };

        var error = Assert.Single(ObjectMetaValidation.Validate(Pods, metadata));

        Assert.Equal("metadata.finalizers", error.Field);
    }

    [Fact]
    public void Namespaced_objects_need_a_namespace_and_cluster_objects_may_not_have_one()
    {
        var pod = Assert.Single(ObjectMetaValidation.Validate(Pods, new V1ObjectMeta { Name = "web" }));
        var ns = Assert.Single(ObjectMetaValidation.Validate(Namespaces, new V1ObjectMeta { Name = "a", NamespaceProperty = "b" }));

        Assert.Equal("metadata.namespace: Required value", pod.ToString());
        Assert.Equal("metadata.namespace: Forbidden: not allowed on this type", ns.ToString());
    }

    [Fact]
    public void Only_one_owner_reference_may_be_the_controller()
    {
        var metadata = new V1ObjectMeta
        {
            Name = "web-1",
            NamespaceProperty = "default",
            OwnerReferences =
            [
                new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "a", Uid = "1", Controller = true },
                new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "b", Uid = "2", Controller = true },
            ],
        };

        var error = Assert.Single(ObjectMetaValidation.Validate(Pods, metadata));

        Assert.EndsWith("Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/a and ReplicaSet/b", error.ToString());
    }

    [Fact]
    public void Update_may_not_rename_an_object()
    {
        var error = Assert.Single(ObjectMetaValidation.ValidateUpdate(new V1ObjectMeta { Name = "b" }, new V1ObjectMeta { Name = "a" }));

        Assert.Equal("metadata.name: Invalid value: \"b\": field is immutable", error.ToString());
    }

    [Fact]
    public void Object_being_deleted_takes_no_new_finalizers()
    {
        var old = new V1ObjectMeta { Name = "a", DeletionTimestamp = DateTime.UtcNow, Finalizers = ["kubernetes"] };
        var updated = new V1ObjectMeta { Name = "a", DeletionTimestamp = old.DeletionTimestamp, Finalizers = ["kubernetes", "example.com/x"] };

        var error = Assert.Single(ObjectMetaValidation.ValidateUpdate(updated, old));

        Assert.Equal("metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/x\"}", error.ToString());
    }
}
