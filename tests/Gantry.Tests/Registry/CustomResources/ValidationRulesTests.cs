using Gantry.Server.Registry.CustomResources.Schema;
using Xunit;

namespace Gantry.Tests.Registry.CustomResources;

/// <summary>
/// <c>x-kubernetes-validations</c> rules evaluated as kube's CEL validator evaluates them, with its messages
/// (apiextensions-apiserver <c>schema/cel/validation.go</c>).
/// </summary>
public sealed class ValidationRulesTests
{
    private static readonly StructuralSchema Schema = Schemas.Parse("""
        {"type":"object","properties":{"spec":{"type":"object",
          "x-kubernetes-validations":[
            {"rule":"self.minReplicas <= self.replicas","message":"minReplicas must not exceed replicas"},
            {"rule":"!has(self.mode) || self.mode != 'off' || self.replicas == 0"},
            {"rule":"!has(self.ratio) || self.ratio / 2.0 < 10.0","messageExpression":"'ratio ' + string(self.ratio) + ' is too large'"},
            {"rule":"!has(self.owner) || self.owner.size() > 0","reason":"FieldValueForbidden","fieldPath":".owner","message":"owner must not be empty"}],
          "properties":{
            "replicas":{"type":"integer"},
            "minReplicas":{"type":"integer"},
            "mode":{"type":"string"},
            "ratio":{"type":"number"},
            "owner":{"type":"string"},
            "name":{"type":"string","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"name is immutable"}]},
            "ports":{"type":"array","items":{"type":"integer","x-kubernetes-validations":[{"rule":"self > 0 && self < 65536","message":"must be a port"}]}},
            "labels":{"type":"object","additionalProperties":{"type":"string","x-kubernetes-validations":[{"rule":"self.startsWith('v')"}]}},
            "missing":{"type":"object","x-kubernetes-validations":[{"rule":"self.other == 1"}],"x-kubernetes-preserve-unknown-fields":true},
            "quantity":{"type":"string","x-kubernetes-validations":[{"rule":"quantity(self).isGreaterThan(quantity('1'))"}]}}}}}
        """);

    private static string[] Create(string spec) =>
        StructuralValidation.Validate(Object(spec), Schema).Select(e => e.ToString()).ToArray();

    private static string[] Update(string spec, string oldSpec) =>
        StructuralValidation.Validate(Object(spec), Schema, Object(oldSpec)).Select(e => e.ToString()).ToArray();

    private static System.Text.Json.Nodes.JsonObject Object(string spec) =>
        Schemas.Object("""{"apiVersion":"x.example.com/v1","kind":"X","metadata":{"name":"a"},"spec":""" + spec + "}");

    [Fact]
    public void Rules_that_hold_give_no_errors() =>
        Assert.Empty(Create("""{"replicas":3,"minReplicas":1,"ports":[80,443],"labels":{"a":"v1"}}"""));

    [Fact]
    public void A_false_rule_is_invalid_at_its_node_with_its_message_and_the_nodes_type() =>
        Assert.Equal(["spec: Invalid value: \"object\": minReplicas must not exceed replicas"], Create("""{"replicas":1,"minReplicas":2}"""));

    [Fact]
    public void A_false_rule_without_a_message_names_the_rule() =>
        Assert.Equal(
            ["spec: Invalid value: \"object\": failed rule: !has(self.mode) || self.mode != 'off' || self.replicas == 0"],
            Create("""{"replicas":1,"minReplicas":0,"mode":"off"}"""));

    [Fact]
    public void A_message_expression_gives_the_message_and_a_number_is_a_double_however_it_is_written() =>
        Assert.Equal(["spec: Invalid value: \"object\": ratio 40 is too large"], Create("""{"replicas":1,"minReplicas":0,"ratio":40}"""));

    [Fact]
    public void A_reason_and_field_path_place_the_error() =>
        Assert.Equal(["spec.owner: Forbidden: owner must not be empty"], Create("""{"replicas":1,"minReplicas":0,"owner":""}"""));

    [Fact]
    public void Each_list_item_and_map_value_is_checked_at_its_own_path() =>
        Assert.Equal(
            ["spec.ports[1]: Invalid value: \"integer\": must be a port", "spec.labels[b]: Invalid value: \"string\": failed rule: self.startsWith('v')"],
            Create("""{"replicas":1,"minReplicas":0,"ports":[80,70000],"labels":{"a":"v1","b":"x"}}"""));

    [Fact]
    public void A_transition_rule_is_not_checked_on_create() =>
        Assert.Empty(Create("""{"replicas":1,"minReplicas":0,"name":"first"}"""));

    [Fact]
    public void A_transition_rule_compares_with_the_old_value_on_update()
    {
        Assert.Equal(["spec.name: Invalid value: \"string\": name is immutable"],
            Update("""{"replicas":1,"minReplicas":0,"name":"second"}""", """{"replicas":1,"minReplicas":0,"name":"first"}"""));
        Assert.Empty(Update("""{"replicas":2,"minReplicas":0,"name":"first"}""", """{"replicas":1,"minReplicas":0,"name":"first"}"""));
    }

    [Fact]
    public void A_transition_rule_is_not_checked_where_the_field_is_new() =>
        Assert.Empty(Update("""{"replicas":1,"minReplicas":0,"name":"second"}""", """{"replicas":1,"minReplicas":0}"""));

    [Fact]
    public void An_error_evaluating_a_rule_is_reported_in_kubes_words() =>
        Assert.Equal(["spec.missing: Invalid value: \"object\": no such key: other evaluating rule: self.other == 1"],
            Create("""{"replicas":1,"minReplicas":0,"missing":{"some":1}}"""));

    [Fact]
    public void An_update_that_keeps_an_invalid_value_is_not_refused_for_it() =>
        Assert.Empty(Update("""{"replicas":2,"minReplicas":0,"ports":[70000]}""", """{"replicas":1,"minReplicas":0,"ports":[70000]}"""));

    [Fact]
    public void A_rule_the_engine_cannot_evaluate_is_left_unchecked() =>
        Assert.Empty(Create("""{"replicas":1,"minReplicas":0,"quantity":"5"}"""));

    [Fact]
    public void Rules_are_not_checked_when_the_object_has_the_wrong_shape() =>
        Assert.Equal(
            ["spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
             "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"],
            Create("""{"replicas":"many","minReplicas":2}"""));
}
