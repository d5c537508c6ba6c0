using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry.Networking;

public sealed class DefaultIngressClassAdmissionTests : IAsyncLifetime
{
    private static readonly ResourceType IngressClasses = ResourceCatalog.Get("networking.k8s.io", "ingressclasses");
    private static readonly ResourceType Ingresses = ResourceCatalog.Get("networking.k8s.io", "ingresses");

    private RegistryTestContext _context = null!;
    private DefaultIngressClassAdmission _admission = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _admission = new DefaultIngressClassAdmission(_context.Cache);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    /// <summary>Creates a class a minute after the one before, so that it is the newest.</summary>
    private async Task CreateClassAsync(string name, bool isDefault)
    {
        _context.Time.Advance(TimeSpan.FromMinutes(1));
        var ingressClass = new V1IngressClass
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "IngressClass",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = isDefault ? new Dictionary<string, string> { [DefaultIngressClassAdmission.IsDefaultAnnotation] = "true" } : null,
            },
            Spec = new V1IngressClassSpec { Controller = "k8s.io/" + name },
        };
        await _context.CreateAsync(IngressClasses, JsonNode.Parse(KubernetesJson.Serialize(ingressClass))!.AsObject());
    }

    private static V1Ingress Ingress(string? className = null, string? annotated = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "default",
            Annotations = annotated is null ? null : new Dictionary<string, string> { [IngressRules.ClassAnnotation] = annotated },
        },
        Spec = new V1IngressSpec { IngressClassName = className, DefaultBackend = new V1IngressBackend() },
    };

    private V1Ingress Admit(V1Ingress ingress, V1Ingress? old = null)
    {
        _admission.Admit(Ingresses, "default", ingress, old, new WriteOptions());
        return ingress;
    }

    [Fact]
    public async Task An_ingress_without_a_class_gets_the_default_class()
    {
        await CreateClassAsync("nginx", isDefault: true);
        await CreateClassAsync("traefik", isDefault: false);

        Assert.Equal("nginx", Admit(Ingress()).Spec.IngressClassName);
    }

    [Fact]
    public async Task Of_several_default_classes_the_newest_wins()
    {
        await CreateClassAsync("nginx", isDefault: true);
        await CreateClassAsync("traefik", isDefault: true);

        Assert.Equal("traefik", Admit(Ingress()).Spec.IngressClassName);
    }

    [Fact]
    public async Task An_ingress_naming_a_class_by_field_or_annotation_keeps_it()
    {
        await CreateClassAsync("nginx", isDefault: true);

        Assert.Equal("haproxy", Admit(Ingress(className: "haproxy")).Spec.IngressClassName);
        Assert.Null(Admit(Ingress(annotated: "haproxy")).Spec.IngressClassName);
    }

    [Fact]
    public async Task Updates_and_clusters_without_a_default_leave_the_class_unset()
    {
        await CreateClassAsync("traefik", isDefault: false);
        Assert.Null(Admit(Ingress()).Spec.IngressClassName);

        await CreateClassAsync("nginx", isDefault: true);
        Assert.Null(Admit(Ingress(), old: Ingress()).Spec.IngressClassName);
    }
}
