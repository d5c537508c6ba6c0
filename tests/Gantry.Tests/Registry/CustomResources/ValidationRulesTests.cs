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
        StructuralValidation.Validate(Object(spec), Schema, () => Object(oldSpec)).Select(e => e.ToString()).ToArray();

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

    private static readonly StructuralSchema Kinds = Schemas.Parse("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"},"x-kubernetes-validations":[{"rule":"self == oldSelf","message":"tags are immutable"}]},
          "note":{"type":"string","nullable":true},
          "retention":{"type":"string","format":"duration","x-kubernetes-validations":[{"rule":"self <= duration('720h')","message":"at most 30 days"}]},
          "email":{"type":"string","x-kubernetes-validations":[{"rule":"self.matches('^[\\\\w-\\\\.]+@([\\\\w-]+\\\\.)+[\\\\w-]{2,4}$')","message":"not an email"}]},
          "settings":{"type":"object","x-kubernetes-map-type":"atomic","properties":{"mode":{"type":"string","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"mode is immutable"}]}}},
          "limit":{"type":"integer","allOf":[{"x-kubernetes-validations":[{"rule":"self < 100","message":"under 100"}]}]}},
          "x-kubernetes-validations":[{"rule":"!has(self.note) || self.note.size() > 0","message":"a note is not empty"}]}}}
        """);

    private static string[] KindsErrors(string spec, string? oldSpec = null) =>
        StructuralValidation.Validate(Object(spec), Kinds, oldSpec is null ? null : () => Object(oldSpec)).Select(e => e.ToString()).ToArray();

    [Fact]
    public void A_set_list_in_another_order_equals_its_old_value() =>
        Assert.Empty(KindsErrors("""{"tags":["b","a"]}""", """{"tags":["a","b"]}"""));

    [Fact]
    public void A_property_set_to_null_is_absent_to_the_rules() =>
        Assert.Empty(KindsErrors("""{"note":null}"""));

    [Fact]
    public void A_duration_field_takes_kubes_day_and_week_units() =>
        Assert.Equal(["spec.retention: Invalid value: \"string\": at most 30 days"], KindsErrors("""{"retention":"5w"}""").Concat(KindsErrors("""{"retention":"7d"}""")));

    [Fact]
    public void A_class_shorthand_before_a_dash_matches_as_re2_reads_it()
    {
        Assert.Empty(KindsErrors("""{"email":"first-last.name@mail.example.com"}"""));
        Assert.Equal(["spec.email: Invalid value: \"string\": not an email"], KindsErrors("""{"email":"not an email"}"""));
    }

    [Fact]
    public void A_member_of_an_atomic_map_still_has_its_old_value() =>
        Assert.Equal(["spec.settings.mode: Invalid value: \"string\": mode is immutable"],
            KindsErrors("""{"settings":{"mode":"b"}}""", """{"settings":{"mode":"a"}}"""));

    [Fact]
    public void Rules_of_an_all_of_schema_are_checked_at_the_node() =>
        Assert.Equal(["spec.limit: Invalid value: \"integer\": under 100"], KindsErrors("""{"limit":100}"""));
}
