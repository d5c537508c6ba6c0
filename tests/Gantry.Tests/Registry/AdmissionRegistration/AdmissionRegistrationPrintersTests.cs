using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Tables;
using Xunit;

namespace Gantry.Tests.Registry.AdmissionRegistration;

public sealed class AdmissionRegistrationPrintersTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ResourceType Type(string plural) => ResourceCatalog.Get("admissionregistration.k8s.io", plural);

    private static string[] Cells(ResourceType type, string json) =>
        [.. TableConverter.ForObject(type, JsonNode.Parse(json)!.AsObject(), Now, IncludeObjectPolicy.Metadata)["rows"]![0]!["cells"]!.AsArray()
            .Select(c => c!.ToJsonString())];

    private static JsonArray Columns(ResourceType type) =>
        TableConverter.ForList(type, [], Now, IncludeObjectPolicy.Metadata, "1", null)["columnDefinitions"]!.AsArray();

    [Theory]
    [InlineData("validatingwebhookconfigurations")]
    [InlineData("mutatingwebhookconfigurations")]
    public void A_webhook_configuration_table_has_kubes_name_webhooks_and_age_columns(string plural)
    {
        var columns = Columns(Type(plural));

        Assert.Equal(["Name", "Webhooks", "Age"], columns.Select(c => (string?)c!["name"]));
        Assert.Equal("integer", (string?)columns[1]!["type"]);
        Assert.Equal("Webhooks indicates the number of webhooks registered in this configuration", (string?)columns[1]!["description"]);
    }

    [Theory]
    [InlineData("validatingwebhookconfigurations")]
    [InlineData("mutatingwebhookconfigurations")]
    public void A_webhook_configuration_shows_how_many_webhooks_it_registers(string plural)
    {
        var cells = Cells(Type(plural), """
            {"metadata": {"name": "policy", "creationTimestamp": "2025-06-01T11:58:00Z"},
             "webhooks": [{"name": "a.example.com"}, {"name": "b.example.com"}]}
            """);

        Assert.Equal(["\"policy\"", "2", "\"2m\""], cells);
    }

    [Fact]
    public void A_configuration_without_webhooks_shows_zero()
    {
        Assert.Equal("0", Cells(Type("validatingwebhookconfigurations"), """{"metadata": {"name": "empty"}}""")[1]);
    }

    [Fact]
    public void A_policy_table_has_kubes_name_validations_param_kind_and_age_columns()
    {
        var columns = Columns(Type("validatingadmissionpolicies"));

        Assert.Equal(["Name", "Validations", "ParamKind", "Age"], columns.Select(c => (string?)c!["name"]));
        Assert.Equal(["string", "integer", "string", "string"], columns.Select(c => (string?)c!["type"]));
        Assert.Equal("Validations indicates the number of validation rules defined in this configuration", (string?)columns[1]!["description"]);
        Assert.Equal("ParamKind specifies the kind of resources used to parameterize this policy", (string?)columns[2]!["description"]);
    }

    [Fact]
    public void A_policy_shows_how_many_validations_it_has_and_its_param_kind()
    {
        var cells = Cells(Type("validatingadmissionpolicies"), """
            {"metadata": {"name": "replica-limit", "creationTimestamp": "2025-06-01T11:58:00Z"},
             "spec": {"paramKind": {"apiVersion": "rules.example.com/v1", "kind": "ReplicaLimit"},
                      "validations": [{"expression": "true"}, {"expression": "true"}]}}
            """);

        Assert.Equal(["\"replica-limit\"", "2", "\"rules.example.com/v1/ReplicaLimit\"", "\"2m\""], cells);
    }

    [Fact]
    public void A_policy_without_a_param_kind_shows_it_unset()
    {
        Assert.Equal(JsonValue.Create("<unset>").ToJsonString(), Cells(Type("validatingadmissionpolicies"), """{"metadata": {"name": "p"}, "spec": {}}""")[2]);
    }

    [Fact]
    public void A_binding_table_has_kubes_name_policy_name_param_ref_and_age_columns()
    {
        var columns = Columns(Type("validatingadmissionpolicybindings"));

        Assert.Equal(["Name", "PolicyName", "ParamRef", "Age"], columns.Select(c => (string?)c!["name"]));
        Assert.Equal("PolicyName indicates the policy definition which the policy binding binded to", (string?)columns[1]!["description"]);
        Assert.Equal("ParamRef indicates the param resource which sets the configration param", (string?)columns[2]!["description"]);
    }

    [Theory]
    [InlineData("""{"name": "limits", "namespace": "policy-system"}""", "policy-system/limits")]
    [InlineData("""{"name": "limits"}""", "*/limits")]
    [InlineData("""{"selector": {"matchLabels": {"tier": "prod", "env": "a"}}}""",
        "&LabelSelector{MatchLabels:map[string]string{env: a,tier: prod,},MatchExpressions:[]LabelSelectorRequirement{},}")]
    [InlineData("""{"selector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}, {"key": "x", "operator": "Exists"}]}}""",
        "&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},LabelSelectorRequirement{Key:x,Operator:Exists,Values:[],},},}")]
    [InlineData("""{"parameterNotFoundAction": "Deny"}""", "<unset>")]
    public void A_binding_shows_its_policy_and_parameters_as_kube_prints_them(string paramRef, string shown)
    {
        var cells = Cells(Type("validatingadmissionpolicybindings"), $$$"""
            {"metadata": {"name": "limit-prod", "creationTimestamp": "2025-06-01T11:58:00Z"},
             "spec": {"policyName": "replica-limit", "paramRef": {{{paramRef}}}}}
            """);

        Assert.Equal(["\"limit-prod\"", "\"replica-limit\"", JsonValue.Create(shown).ToJsonString(), "\"2m\""], cells);
    }

    [Fact]
    public void A_binding_without_parameters_shows_them_unset()
    {
        Assert.Equal(JsonValue.Create("<unset>").ToJsonString(), Cells(Type("validatingadmissionpolicybindings"), """{"metadata": {"name": "b"}, "spec": {"policyName": "p"}}""")[2]);
    }
}
