using System.Text.Json.Nodes;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using Gantry.Tests.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Admission.Webhooks;

/// <summary>
/// A registry over a real store whose writes pass the webhooks of the configurations stored in it, with one real HTTPS
/// webhook server to name in them.
/// </summary>
internal sealed class WebhookTestSetup : IAsyncDisposable
{
    private readonly WebhookClient _client;

    private WebhookTestSetup(RegistryTestContext context, TestWebhookServer server)
    {
        Context = context;
        Server = server;
        _client = new WebhookClient(new ServiceEndpoints(context.Cache));
        var admission = new WebhookAdmission(
            new WebhookConfigurations(context.Cache), new WebhookMatching(context.Cache), _client, NullLogger<WebhookAdmission>.Instance);
        Registry = new ObjectRegistry(context.Store, context.Cache, ResourceRulesCatalog.For, context.Time, webhooks: admission);
    }

    public RegistryTestContext Context { get; }

    public TestWebhookServer Server { get; }

    public ObjectRegistry Registry { get; }

    public static async Task<WebhookTestSetup> StartAsync() => new(await RegistryTestContext.StartAsync(), await TestWebhookServer.StartAsync());

    public Task<JsonObject> CreateAsync(JsonObject configMap, WriteOptions? options = null) =>
        Registry.CreateAsync(RegistryTestContext.ConfigMaps, "default", configMap, options ?? new WriteOptions(), Context.Ct);

    /// <summary>Stores a ValidatingWebhookConfiguration of one webhook (its rules: configmaps, every operation).</summary>
    public Task<JsonObject> ValidateWithAsync(string name, string path, Action<V1ValidatingWebhook>? change = null)
    {
        var hook = new V1ValidatingWebhook
        {
            Name = name + ".webhooks.gantry.io",
            ClientConfig = ClientConfig(path),
            Rules = [ConfigMapRule()],
            SideEffects = "None",
            AdmissionReviewVersions = ["v1"],
        };
        change?.Invoke(hook);
        return StoreAsync(WebhookConfigurations.ValidatingType, new V1ValidatingWebhookConfiguration
        {
            ApiVersion = "admissionregistration.k8s.io/v1", Kind = "ValidatingWebhookConfiguration", Metadata = new V1ObjectMeta { Name = name }, Webhooks = [hook],
        });
    }

    /// <summary>Stores a MutatingWebhookConfiguration of one webhook (its rules: configmaps, every operation).</summary>
    public Task<JsonObject> MutateWithAsync(string name, string path, Action<V1MutatingWebhook>? change = null)
    {
        var hook = new V1MutatingWebhook
        {
            Name = name + ".webhooks.gantry.io",
            ClientConfig = ClientConfig(path),
            Rules = [ConfigMapRule()],
            SideEffects = "None",
            AdmissionReviewVersions = ["v1"],
        };
        change?.Invoke(hook);
        return StoreAsync(WebhookConfigurations.MutatingType, new V1MutatingWebhookConfiguration
        {
            ApiVersion = "admissionregistration.k8s.io/v1", Kind = "MutatingWebhookConfiguration", Metadata = new V1ObjectMeta { Name = name }, Webhooks = [hook],
        });
    }

    public Admissionregistrationv1WebhookClientConfig ClientConfig(string path) => new() { Url = Server.Url(path), CaBundle = Server.CaBundle };

    public static V1RuleWithOperations ConfigMapRule(params string[] operations) => new()
    {
        Operations = operations.Length > 0 ? operations : ["*"],
        ApiGroups = [""],
        ApiVersions = ["v1"],
        Resources = ["configmaps"],
    };

    private Task<JsonObject> StoreAsync(Core.Resources.ResourceType type, object configuration) =>
        Registry.CreateAsync(type, null, ObjectDecoder.ToNode((k8s.IKubernetesObject<V1ObjectMeta>)configuration), new WriteOptions(), Context.Ct);

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Server.DisposeAsync();
        await Context.DisposeAsync();
    }
}
