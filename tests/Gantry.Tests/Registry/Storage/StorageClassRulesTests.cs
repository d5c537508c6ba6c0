using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Storage.StorageObjects;

namespace Gantry.Tests.Registry.Storage;

public sealed class StorageClassRulesTests
{
    private readonly IResourceRules _rules = new StorageClassRules();

    private List<string> Errors(V1StorageClass storageClass)
    {
        _rules.Default(storageClass);
        return [.. _rules.ValidateCreate(storageClass).Select(e => e.ToString())];
    }

    private List<string> UpdateErrors(V1StorageClass storageClass, V1StorageClass old)
    {
        _rules.Default(old);
        _rules.Default(storageClass);
        return [.. _rules.ValidateUpdate(storageClass, old).Select(e => e.ToString())];
    }

    [Fact]
    public void A_new_class_deletes_its_volumes_and_binds_at_once()
    {
        var storageClass = Class();

        _rules.Default(storageClass);

        Assert.Equal(("Delete", "Immediate"), (storageClass.ReclaimPolicy, storageClass.VolumeBindingMode));
    }

    [Fact]
    public void A_class_needs_a_provisioner()
    {
        Assert.Equal(["provisioner: Required value"], Errors(Class(provisioner: "")));
    }

    [Fact]
    public void A_provisioner_must_be_a_qualified_name()
    {
        var error = Assert.Single(Errors(Class(provisioner: "gantry.io/local path")));

        Assert.StartsWith("provisioner: Invalid value: \"gantry.io/local path\": name part must consist of alphanumeric characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_delete_and_retain_are_reclaim_policies_of_a_class()
    {
        var storageClass = Class();
        storageClass.ReclaimPolicy = "Recycle";

        Assert.Equal(["reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\""], Errors(storageClass));
    }

    [Fact]
    public void An_unknown_binding_mode_is_not_supported()
    {
        var storageClass = Class();
        storageClass.VolumeBindingMode = "Later";

        Assert.Equal(["volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\""], Errors(storageClass));
    }

    [Fact]
    public void A_parameter_key_can_not_be_empty()
    {
        var storageClass = Class();
        storageClass.Parameters = new Dictionary<string, string> { [""] = "x" };

        Assert.Equal(["parameters: Invalid value: \"\": field can not be empty."], Errors(storageClass));
    }

    [Fact]
    public void A_class_may_have_at_most_512_parameters()
    {
        var storageClass = Class();
        storageClass.Parameters = Enumerable.Range(0, 513).ToDictionary(i => $"p{i}", _ => "v");

        Assert.Equal(["parameters: Too long: may not be more than 512 bytes"], Errors(storageClass));
    }

    [Fact]
    public void Parameters_provisioner_and_reclaim_policy_are_fixed()
    {
        var changed = Class(provisioner: "example.com/nfs");
        changed.Parameters = new Dictionary<string, string> { ["nodePath"] = "/srv" };
        changed.ReclaimPolicy = "Retain";

        Assert.Equal(
            [
                "parameters: Forbidden: updates to parameters are forbidden.",
                "provisioner: Forbidden: updates to provisioner are forbidden.",
                "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
            ],
            UpdateErrors(changed, Class()));
    }

    [Fact]
    public void The_binding_mode_is_immutable()
    {
        var changed = Class();
        changed.VolumeBindingMode = "WaitForFirstConsumer";

        Assert.Equal(["volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable"], UpdateErrors(changed, Class()));
    }

    [Fact]
    public void Expansion_and_mount_options_may_change()
    {
        var changed = Class();
        changed.AllowVolumeExpansion = true;
        changed.MountOptions = ["noatime"];

        Assert.Empty(UpdateErrors(changed, Class()));
    }
}
