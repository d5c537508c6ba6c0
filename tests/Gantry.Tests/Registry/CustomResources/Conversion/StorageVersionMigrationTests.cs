using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Registry;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Registry.Rules;
using Gantry.Tests.Admission.Webhooks;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources.Conversion;

/// <summary>
/// A custom resource stored in an earlier storage version, written after its definition moved the storage version: the
/// write reads it through the definition's conversion webhook, as kube decodes it, and stores it in the new version.
/// </summary>
public sealed class StorageVersionMigrationTests : IAsyncLifetime
{
    private static readonly string[] Versions = ["v1", "v2"];

    private RegistryTestContext _context = null!;
    private TestWebhookServer _server = null!;
    private WebhookClient _client = null!;
    private ObjectRegistry _registry = null!;
    private ResourceType _v1Stored = null!;
    private ResourceType _v2Stored = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _server = await TestWebhookServer.StartAsync();
        _client = new WebhookClient(new ServiceEndpoints(_context.Cache));
        _server.Answer = Convert;
        _registry = new ObjectRegistry(
            _context.Store, _context.Cache, type => type.Custom is null ? ResourceRulesCatalog.For(type) : new CustomResourceRules(type), _context.Time);
        _v1Stored = CustomResourceTypes.TypesOf(Widgets("v1"), _client).First().Stored;
        _v2Stored = CustomResourceTypes.TypesOf(Widgets("v2"), _client).First().Stored;
        await _registry.CreateAsync(_v1Stored, "default", new JsonObject
        {
            ["apiVersion"] = "conv.example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "shop" },
            ["spec"] = new JsonObject { ["host"] = "shop.example", ["port"] = 8080 },
        }, new WriteOptions(), _context.Ct);
        await _registry.MutateAsync(_v1Stored, "default", "shop", WithStatus, null, "status", new WriteOptions(), _context.Ct);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _context.DisposeAsync();
    }

    [Fact]
    public async Task A_write_changes_the_object_as_the_new_storage_version_shows_it()
    {
        var written = await _registry.MutateAsync(_v2Stored, "default", "shop", obj =>
        {
            obj["metadata"]!["labels"] = new JsonObject { ["tier"] = "web" };
            return obj;
        }, null, null, new WriteOptions(), _context.Ct);

        Assert.Equal("conv.example.com/v2", (string?)written["apiVersion"]);
        Assert.Equal("shop.example:8080", (string?)written["spec"]!["hostPort"]);
        Assert.Null(written["spec"]!["host"]);
        Assert.Equal("web", (string?)written["metadata"]!["labels"]!["tier"]);
    }

    [Fact]
    public async Task A_write_keeps_the_status_and_generation_of_the_converted_object()
    {
        var written = await _registry.MutateAsync(_v2Stored, "default", "shop", obj => obj, null, null, new WriteOptions(), _context.Ct);

        Assert.Equal("conv.example.com/v2", (string?)_context.Get(_v2Stored, "shop")!["apiVersion"]);
        Assert.True((bool?)written["status"]!["ready"]);
        Assert.Equal(1, (long?)written["metadata"]!["generation"]);
    }

    [Fact]
    public async Task A_status_write_stores_the_whole_object_in_the_new_version()
    {
        await _registry.MutateAsync(_v2Stored, "default", "shop", obj =>
        {
            obj["status"] = new JsonObject { ["ready"] = false };
            return obj;
        }, null, "status", new WriteOptions(), _context.Ct);
        var stored = _context.Get(_v2Stored, "shop")!;

        Assert.Equal(("conv.example.com/v2", "shop.example:8080"), ((string?)stored["apiVersion"], (string?)stored["spec"]!["hostPort"]));
        Assert.False((bool?)stored["status"]!["ready"]);
    }

    private static JsonObject WithStatus(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["ready"] = true };
        return obj;
    }

    /// <summary>A webhook that converts Widgets between v1 <c>spec: {host, port}</c> and v2 <c>spec: {hostPort}</c>.</summary>
    private static JsonObject Convert(JsonObject request)
    {
        var desired = request["desiredAPIVersion"]!.GetValue<string>();
        var converted = new JsonArray();
        foreach (var obj in request["objects"]!.AsArray())
        {
            var copy = obj!.DeepClone().AsObject();
            var spec = copy["spec"]!.AsObject();
            if (desired.EndsWith("/v2", StringComparison.Ordinal))
            {
                spec["hostPort"] = $"{spec["host"]}:{spec["port"]}";
                spec.Remove("host");
                spec.Remove("port");
            }
            else
            {
                var parts = spec["hostPort"]!.GetValue<string>().Split(':');
                (spec["host"], spec["port"]) = (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                spec.Remove("hostPort");
            }

            copy["apiVersion"] = desired;
            converted.Add(copy);
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "ConversionReview",
            ["response"] = new JsonObject { ["uid"] = request["uid"]!.DeepClone(), ["result"] = new JsonObject { ["status"] = "Success" }, ["convertedObjects"] = converted },
        };
    }

    private V1CustomResourceDefinition Widgets(string storage) => new()
    {
        ApiVersion = "apiextensions.k8s.io/v1",
        Kind = "CustomResourceDefinition",
        Metadata = new V1ObjectMeta { Name = "widgets.conv.example.com" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = "conv.example.com",
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget", ListKind = "WidgetList" },
            Versions = [.. Versions.Select(v => new V1CustomResourceDefinitionVersion
            {
                Name = v,
                Served = true,
                Storage = v == storage,
                Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
                Subresources = new V1CustomResourceSubresources { Status = new object() },
            })],
            Conversion = new V1CustomResourceConversion
            {
                Strategy = "Webhook",
                Webhook = new V1WebhookConversion
                {
                    ClientConfig = new Apiextensionsv1WebhookClientConfig { Url = _server.Url("/convert"), CaBundle = _server.CaBundle },
                    ConversionReviewVersions = ["v1"],
                },
            },
        },
        Status = new V1CustomResourceDefinitionStatus { Conditions = [new V1CustomResourceDefinitionCondition { Type = "Established", Status = "True" }] },
    };
}
