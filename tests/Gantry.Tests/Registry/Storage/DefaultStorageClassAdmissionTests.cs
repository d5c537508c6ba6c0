using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Storage.StorageObjects;

namespace Gantry.Tests.Registry.Storage;

public sealed class DefaultStorageClassAdmissionTests : IAsyncLifetime
{
    private static readonly ResourceType StorageClasses = ResourceCatalog.Get("storage.k8s.io", "storageclasses");
    private static readonly ResourceType Claims = ResourceCatalog.Get("", "persistentvolumeclaims");
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private RegistryTestContext _context = null!;
    private DefaultStorageClassAdmission _admission = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _admission = new DefaultStorageClassAdmission(_context.Cache);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    /// <summary>Creates a class a while after whatever the cluster started with, so that it is the newest.</summary>
    private async Task CreateClassAsync(V1StorageClass storageClass)
    {
        _context.Time.Advance(TimeSpan.FromMinutes(1));
        await _context.CreateAsync(StorageClasses, JsonNode.Parse(KubernetesJson.Serialize(storageClass))!.AsObject());
    }

    private V1PersistentVolumeClaim Admit(V1PersistentVolumeClaim claim)
    {
        _admission.Admit(Claims, "default", claim, null, new WriteOptions());
        return claim;
    }

    private static V1StorageClass Created(string name, DateTime at, bool isDefault = true)
    {
        var storageClass = Class(name, isDefault: isDefault);
        storageClass.Metadata.CreationTimestamp = at;
        return storageClass;
    }

    [Fact]
    public async Task A_claim_without_a_class_gets_the_default_class()
    {
        await CreateClassAsync(Class("standard", isDefault: true));

        Assert.Equal("standard", Admit(Claim()).Spec.StorageClassName);
    }

    [Fact]
    public async Task A_claim_asking_for_no_class_keeps_the_empty_class()
    {
        await CreateClassAsync(Class("standard", isDefault: true));

        Assert.Equal("", Admit(Claim(storageClass: "")).Spec.StorageClassName);
    }

    [Fact]
    public async Task A_claim_naming_its_class_in_the_beta_annotation_gets_no_default()
    {
        await CreateClassAsync(Class("standard", isDefault: true));
        var claim = Claim();
        claim.Metadata.Annotations = new Dictionary<string, string> { ["volume.beta.kubernetes.io/storage-class"] = "slow" };

        Assert.Null(Admit(claim).Spec.StorageClassName);
    }

    [Fact]
    public async Task An_update_is_not_given_a_class()
    {
        await CreateClassAsync(Class("standard", isDefault: true));
        var claim = Claim();

        _admission.Admit(Claims, "default", claim, Claim(), new WriteOptions());

        Assert.Null(claim.Spec.StorageClassName);
    }

    [Fact]
    public void Of_several_default_classes_the_newest_is_the_default()
    {
        var classes = new[] { Created("old", Start), Created("new", Start.AddHours(1)), Created("plain", Start.AddHours(2), isDefault: false) };

        Assert.Equal("new", DefaultStorageClassAdmission.DefaultOf(classes)?.Name());
    }

    [Fact]
    public void Of_default_classes_made_at_once_the_first_by_name_is_the_default()
    {
        var classes = new[] { Created("zeta", Start), Created("alpha", Start) };

        Assert.Equal("alpha", DefaultStorageClassAdmission.DefaultOf(classes)?.Name());
    }

    [Fact]
    public void Only_the_annotation_value_true_makes_a_class_default()
    {
        var storageClass = Class();
        storageClass.Metadata.Annotations = new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "True" };

        Assert.False(DefaultStorageClassAdmission.IsDefault(storageClass));
    }
}
