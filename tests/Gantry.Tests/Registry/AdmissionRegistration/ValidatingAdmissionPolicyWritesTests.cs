using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Xunit;

namespace Gantry.Tests.Registry.AdmissionRegistration;

/// <summary>How the registry stores a ValidatingAdmissionPolicy: its generation, and its spec and status written apart.</summary>
public sealed class ValidatingAdmissionPolicyWritesTests : IAsyncLifetime
{
    private static readonly ResourceType Policies = ResourceCatalog.Get("admissionregistration.k8s.io", "validatingadmissionpolicies");

    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await RegistryTestContext.StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static JsonObject Policy() => JsonNode.Parse("""
        {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
         "metadata": {"name": "replica-limit"},
         "spec": {"matchConstraints": {"resourceRules": [{"operations": ["CREATE"], "apiGroups": ["apps"], "apiVersions": ["v1"], "resources": ["deployments"]}]},
                  "validations": [{"expression": "object.spec.replicas <= 5"}]},
         "status": {"observedGeneration": 7}}
        """)!.AsObject();

    private static JsonObject Status() => JsonNode.Parse("""
        {"observedGeneration": 1, "typeChecking": {"expressionWarnings": [{"fieldRef": "spec.validations[0].expression", "warning": "no such field"}]}}
        """)!.AsObject();

    [Fact]
    public async Task A_created_policy_is_defaulted_has_generation_one_and_no_status()
    {
        var created = await _context.CreateAsync(Policies, Policy());

        Assert.Equal(1L, (long)created["metadata"]!["generation"]!);
        Assert.Null(created["status"]);
        Assert.Equal("Fail", (string?)created["spec"]!["failurePolicy"]);
        Assert.Equal("*", (string?)created["spec"]!["matchConstraints"]!["resourceRules"]![0]!["scope"]);
    }

    [Fact]
    public async Task A_spec_update_bumps_the_generation_and_keeps_the_status()
    {
        var created = await _context.CreateAsync(Policies, Policy());
        var withStatus = created.DeepClone().AsObject();
        withStatus["status"] = Status();
        await _context.UpdateAsync(Policies, withStatus, subresource: "status");
        var body = _context.Get(Policies, "replica-limit")!;
        body["spec"]!["validations"]![0]!["expression"] = "object.spec.replicas <= 3";
        body.Remove("status");

        var updated = await _context.UpdateAsync(Policies, body);

        Assert.Equal(2L, (long)updated["metadata"]!["generation"]!);
        Assert.Equal("no such field", (string?)updated["status"]!["typeChecking"]!["expressionWarnings"]![0]!["warning"]);
    }

    [Fact]
    public async Task A_status_update_keeps_the_spec_labels_and_generation()
    {
        var created = await _context.CreateAsync(Policies, Policy());
        var body = created.DeepClone().AsObject();
        body["spec"]!["failurePolicy"] = "Ignore";
        body["metadata"]!["labels"] = new JsonObject { ["tier"] = "front" };
        body["status"] = Status();

        var updated = await _context.UpdateAsync(Policies, body, subresource: "status");

        Assert.Equal("Fail", (string?)updated["spec"]!["failurePolicy"]);
        Assert.Null(updated["metadata"]!["labels"]);
        Assert.Equal(1L, (long)updated["metadata"]!["generation"]!);
        Assert.Equal(1L, (long)updated["status"]!["observedGeneration"]!);
    }

    [Fact]
    public async Task A_status_update_with_a_warning_of_no_field_is_refused()
    {
        var created = await _context.CreateAsync(Policies, Policy());
        var body = created.DeepClone().AsObject();
        body["status"] = JsonNode.Parse("""{"typeChecking": {"expressionWarnings": [{"warning": "no such field"}]}}""");

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(Policies, body, subresource: "status"));

        Assert.Contains("status.typeChecking.expressionWarnings[0].fieldRef: Required value", error.Message, StringComparison.Ordinal);
    }
}
