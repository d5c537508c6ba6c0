using System.Text.Json.Nodes;
using Gantry.Server.Admission.Policies;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using Gantry.Tests.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Admission.Policies;

/// <summary>
/// A registry over a real store whose writes pass the ValidatingAdmissionPolicies stored in it, each policy written as
/// kube's JSON, matching ConfigMaps (every operation) unless a test says otherwise.
/// </summary>
internal sealed class PolicyTestSetup : IAsyncDisposable
{
    private PolicyTestSetup(RegistryTestContext context)
    {
        Context = context;
        var matching = new WebhookMatching(context.Cache);
        var policies = new PolicyAdmission(new AdmissionPolicies(context.Cache), new PolicyParams(context.Cache), matching, context.Cache);
        var admission = new WebhookAdmission(
            new WebhookConfigurations(context.Cache), matching, new WebhookClient(new ServiceEndpoints(context.Cache)), NullLogger<WebhookAdmission>.Instance,
            policies);
        Registry = new ObjectRegistry(context.Store, context.Cache, ResourceRulesCatalog.For, context.Time, webhooks: admission);
    }

    public RegistryTestContext Context { get; }

    public ObjectRegistry Registry { get; }

    public CancellationToken Ct => Context.Ct;

    public static async Task<PolicyTestSetup> StartAsync() => new(await RegistryTestContext.StartAsync());

    public Task<JsonObject> CreateAsync(JsonObject obj, string ns = "default", WriteOptions? options = null) =>
        Registry.CreateAsync(RegistryTestContext.ConfigMaps, ns, obj, options ?? new WriteOptions(), Ct);

    /// <summary>The error a create meets, or null when it is written.</summary>
    public async Task<ApiException?> RefusalOfAsync(JsonObject obj, string ns = "default", WriteOptions? options = null)
    {
        try
        {
            await CreateAsync(obj, ns, options);
            return null;
        }
        catch (ApiException e)
        {
            return e;
        }
    }

    /// <summary>Stores a policy with these validations (each an expression, or a whole validation object) over ConfigMaps.</summary>
    public Task<JsonObject> PolicyAsync(string name, JsonArray validations, Action<JsonObject>? change = null)
    {
        var spec = new JsonObject
        {
            ["matchConstraints"] = new JsonObject { ["resourceRules"] = new JsonArray(ConfigMapRule()) },
            ["validations"] = validations,
        };
        change?.Invoke(spec);
        return StoreAsync(AdmissionPolicies.PolicyType, name, spec);
    }

    public Task<JsonObject> BindingAsync(string name, string policy, string actions = "Deny", Action<JsonObject>? change = null)
    {
        var spec = new JsonObject
        {
            ["policyName"] = policy,
            ["validationActions"] = new JsonArray([.. actions.Split(',').Select(a => (JsonNode?)a)]),
        };
        change?.Invoke(spec);
        return StoreAsync(AdmissionPolicies.BindingType, name, spec);
    }

    public static JsonArray Validations(params string[] expressions) =>
        new([.. expressions.Select(e => (JsonNode?)new JsonObject { ["expression"] = e })]);

    public static JsonObject ConfigMapRule(params string[] operations) => new()
    {
        ["apiGroups"] = new JsonArray(""),
        ["apiVersions"] = new JsonArray("v1"),
        ["operations"] = new JsonArray([.. (operations.Length > 0 ? operations : ["*"]).Select(o => (JsonNode?)o)]),
        ["resources"] = new JsonArray("configmaps"),
    };

    private Task<JsonObject> StoreAsync(Gantry.Core.Resources.ResourceType type, string name, JsonObject spec) =>
        Context.Registry.CreateAsync(
            type,
            null,
            new JsonObject { ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind, ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec },
            new WriteOptions(),
            Ct);

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}
