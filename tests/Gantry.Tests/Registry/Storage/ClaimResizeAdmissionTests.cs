using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using k8s;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.Storage.StorageObjects;

namespace Gantry.Tests.Registry.Storage;

public sealed class ClaimResizeAdmissionTests : IAsyncLifetime
{
    private static readonly ResourceType StorageClasses = ResourceCatalog.Get("storage.k8s.io", "storageclasses");
    private static readonly ResourceType Claims = ResourceCatalog.Get("", "persistentvolumeclaims");

    private RegistryTestContext _context = null!;
    private ClaimResizeAdmission _admission = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _admission = new ClaimResizeAdmission(_context.Cache);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private async Task CreateClassAsync(string name, bool? allowExpansion)
    {
        var storageClass = Class(name);
        storageClass.AllowVolumeExpansion = allowExpansion;
        await _context.CreateAsync(StorageClasses, JsonNode.Parse(KubernetesJson.Serialize(storageClass))!.AsObject());
    }

    private void Resize(string storageClass, string from, string to) =>
        _admission.Admit(Claims, "default", Claim(request: to, storageClass: storageClass), Claim(request: from, storageClass: storageClass), new WriteOptions());

    [Fact]
    public async Task A_claim_of_a_class_that_does_not_allow_expansion_may_not_grow()
    {
        await CreateClassAsync("fixed-size", allowExpansion: null);

        var refused = Assert.Throws<ApiException>(() => Resize("fixed-size", "1Gi", "2Gi"));

        Assert.Equal(403, refused.Code);
        Assert.Contains("only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_of_a_class_that_allows_expansion_may_grow()
    {
        await CreateClassAsync("expandable", allowExpansion: true);

        Resize("expandable", "1Gi", "2Gi");
    }

    [Fact]
    public async Task An_update_that_does_not_ask_for_more_is_not_judged()
    {
        await CreateClassAsync("fixed-size", allowExpansion: false);

        Resize("fixed-size", "1Gi", "1Gi");
    }
}
