using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.AdmissionRegistration.PolicyFixtures;

namespace Gantry.Tests.Registry.AdmissionRegistration;

/// <summary>The CEL expressions of a ValidatingAdmissionPolicy: its variables, validations, audit annotations and match conditions.</summary>
public sealed class ValidatingAdmissionPolicyExpressionTests
{
    private static V1ValidatingAdmissionPolicy WithParams(Action<V1ValidatingAdmissionPolicySpec> change) => PolicyWith(s =>
    {
        s.ParamKind = new V1ParamKind { ApiVersion = "v1", Kind = "ConfigMap" };
        change(s);
    });

    [Fact]
    public void A_policy_with_params_may_use_them_in_every_expression()
    {
        var policy = WithParams(s =>
        {
            s.MatchConditions = [new V1MatchCondition { Name = "labelled", Expression = "has(params.data)" }];
            s.Variables = [new V1Variable { Name = "limit", Expression = "params.data.limit" }];
            s.Validations =
            [
                new V1Validation { Expression = "string(object.spec.replicas) != variables.limit", MessageExpression = "'over ' + params.data.limit", Reason = "Forbidden" },
            ];
            s.AuditAnnotations = [new V1AuditAnnotation { Key = "limit", ValueExpression = "params.data.limit" }];
        });

        Assert.Empty(Errors(policy));
    }

    [Fact]
    public void Params_without_a_param_kind_are_refused()
    {
        var errors = Errors(PolicyWith(s => s.Validations[0].Expression = "object.spec.replicas <= params.max"));

        Assert.Single(errors, e => e.StartsWith(
            "spec.validations[0].expression: Invalid value: \"object.spec.replicas <= params.max\": compilation failed: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Match_conditions_compile_in_the_policys_environment()
    {
        var policy = PolicyWith(s => s.MatchConditions =
        [
            new V1MatchCondition { Name = "not-system", Expression = "namespaceObject.metadata.name != 'kube-system'" },
            new V1MatchCondition { Name = "with-params", Expression = "params.enabled" },
        ]);

        Assert.Single(Errors(policy), e => e.StartsWith("spec.matchConditions[1].expression: Invalid value: \"params.enabled\": compilation failed: ", StringComparison.Ordinal));
    }

    [Fact]
    public void An_expression_names_only_the_variables_declared_before_it()
    {
        var policy = PolicyWith(s =>
        {
            s.Variables =
            [
                new V1Variable { Name = "first", Expression = "variables.second" },
                new V1Variable { Name = "second", Expression = "variables.first" },
            ];
            s.Validations[0].Expression = "variables.first && variables.third";
        });

        var errors = Errors(policy);

        Assert.Single(errors, e => e.StartsWith("spec.variables[0].expression: Invalid value: \"variables.second\": compilation failed: ", StringComparison.Ordinal)
            && e.Contains("undefined field 'second'", StringComparison.Ordinal));
        Assert.Single(errors, e => e.StartsWith("spec.validations[0].expression: Invalid value: ", StringComparison.Ordinal)
            && e.Contains("undefined field 'third'", StringComparison.Ordinal));
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Variables_are_offered_neither_to_a_policy_that_declares_none_nor_to_match_conditions()
    {
        var policy = PolicyWith(s =>
        {
            s.MatchConditions = [new V1MatchCondition { Name = "uses-variables", Expression = "variables.limit > 0" }];
            s.Validations[0].Expression = "variables.limit > 0";
        });

        var errors = Errors(policy);

        Assert.Equal(2, errors.Count(e => e.Contains("undeclared reference to 'variables'", StringComparison.Ordinal)));
    }

    [Fact]
    public void Match_conditions_are_named_uniquely_as_a_webhooks_are()
    {
        var policy = PolicyWith(s => s.MatchConditions =
        [
            new V1MatchCondition { Name = "once", Expression = "true" },
            new V1MatchCondition { Name = "once", Expression = "true" },
        ]);

        Assert.Equal(["spec.matchConditions[1].name: Duplicate value: \"once\""], Errors(policy));
    }

    [Fact]
    public void A_variable_needs_a_name_and_an_expression()
    {
        Assert.Equal(
            ["spec.variables[0].name: Required value: name is not specified", "spec.variables[0].expression: Required value: expression is not specified"],
            Errors(PolicyWith(s => s.Variables = [new V1Variable { Name = " ", Expression = "" }])));
    }

    [Theory]
    [InlineData("1st")]
    [InlineData("max-replicas")]
    [InlineData("namespace")]
    [InlineData("in")]
    public void A_variable_name_must_be_a_cel_identifier(string name)
    {
        Assert.Equal(
            [$"spec.variables[0].name: Invalid value: \"{name}\": name is not a valid CEL identifier"],
            Errors(PolicyWith(s => s.Variables = [new V1Variable { Name = name, Expression = "1" }])));
    }

    [Fact]
    public void A_variable_expression_must_compile()
    {
        Assert.Single(
            Errors(PolicyWith(s => s.Variables = [new V1Variable { Name = "replicas", Expression = "object.spec.replicas +" }])),
            e => e.StartsWith("spec.variables[0].expression: Invalid value: \"object.spec.replicas +\": compilation failed: ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_validation_needs_an_expression()
    {
        Assert.Equal(["spec.validations[0].expression: Required value: expression is not specified"], Errors(PolicyWith(s => s.Validations[0].Expression = "  ")));
    }

    [Fact]
    public void A_message_expression_that_is_set_must_not_be_blank()
    {
        Assert.Equal(
            ["spec.validations[0].messageExpression: Invalid value: \" \": must be non-empty if specified"],
            Errors(PolicyWith(s => s.Validations[0].MessageExpression = " ")));
    }

    [Fact]
    public void A_message_expression_is_not_offered_the_authorizer()
    {
        Assert.Single(
            Errors(PolicyWith(s => s.Validations[0].MessageExpression = "string(authorizer)")),
            e => e.StartsWith("spec.validations[0].messageExpression: Invalid value: \"string(authorizer)\": compilation failed: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("authorizer.group('apps').resource('deployments').check('create').allowed()")]
    [InlineData("authorizer != null")]
    public void A_validation_that_asks_the_authorizer_is_refused_as_gantry_cannot_evaluate_it(string expression)
    {
        Assert.Single(
            Errors(PolicyWith(s => s.Validations[0].Expression = expression)),
            e => e.StartsWith("spec.validations[0].expression: Forbidden: Gantry's CEL engine ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(" ", "spec.validations[0].message: Invalid value: \" \": message must be non-empty if specified")]
    [InlineData("too\nmany", "spec.validations[0].message: Invalid value: \"too\\nmany\": message must not contain line breaks")]
    [InlineData("too\rmany", "spec.validations[0].message: Invalid value: \"too\\rmany\": message must not contain line breaks")]
    public void A_message_is_one_line_of_text(string message, string error)
    {
        Assert.Equal([error], Errors(PolicyWith(s => s.Validations[0].Message = message)));
    }

    [Fact]
    public void A_validation_reason_is_one_kube_can_answer_with()
    {
        Assert.Equal(
            ["spec.validations[0].reason: Unsupported value: \"Conflict\": supported values: \"Forbidden\", \"Invalid\", \"RequestEntityTooLarge\", \"Unauthorized\""],
            Errors(PolicyWith(s => s.Validations[0].Reason = "Conflict")));
    }

    [Fact]
    public void Audit_annotations_alone_are_enough()
    {
        Assert.Empty(Errors(PolicyWith(s =>
        {
            s.Validations = null;
            s.AuditAnnotations = [new V1AuditAnnotation { Key = "replicas", ValueExpression = "string(object.spec.replicas)" }];
        })));
    }

    [Fact]
    public void No_more_than_twenty_audit_annotations()
    {
        var policy = PolicyWith(s => s.AuditAnnotations =
            [.. Enumerable.Range(0, 21).Select(i => new V1AuditAnnotation { Key = $"k{i}", ValueExpression = "'v'" })]);

        Assert.Single(Errors(policy), e => e.StartsWith(
            "spec.auditAnnotations: Invalid value: []admissionregistration.AuditAnnotation{admissionregistration.AuditAnnotation{Key:\"k0\", ValueExpression:\"'v'\"}, ",
            StringComparison.Ordinal) && e.EndsWith(": must not have more than 20 auditAnnotations", StringComparison.Ordinal));
    }

    [Fact]
    public void An_audit_annotation_key_qualified_by_the_policy_name_must_be_a_qualified_name()
    {
        Assert.Equal(
            ["spec.auditAnnotations[0].key: Invalid value: \"replica-limit/bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            Errors(PolicyWith(s => s.AuditAnnotations = [new V1AuditAnnotation { Key = "bad key", ValueExpression = "'v'" }])));
    }

    [Fact]
    public void Audit_annotation_keys_are_unique()
    {
        Assert.Equal(
            ["spec.auditAnnotations[1].key: Duplicate value: \"replicas\""],
            Errors(PolicyWith(s => s.AuditAnnotations =
            [
                new V1AuditAnnotation { Key = "replicas", ValueExpression = "'a'" },
                new V1AuditAnnotation { Key = "replicas", ValueExpression = "'b'" },
            ])));
    }

    [Fact]
    public void An_audit_annotation_needs_a_value_expression_of_at_most_5120_bytes()
    {
        Assert.Equal(
            [
                "spec.auditAnnotations[0].valueExpression: Required value: valueExpression is not specified",
                "spec.auditAnnotations[1].valueExpression: Required value: must not exceed 5120 bytes in length",
            ],
            Errors(PolicyWith(s => s.AuditAnnotations =
            [
                new V1AuditAnnotation { Key = "empty", ValueExpression = " " },
                new V1AuditAnnotation { Key = "long", ValueExpression = "'" + new string('x', 5119) + "'" },
            ])));
    }

    [Fact]
    public void An_audit_annotation_value_expression_must_compile()
    {
        Assert.Single(
            Errors(PolicyWith(s => s.AuditAnnotations = [new V1AuditAnnotation { Key = "replicas", ValueExpression = " string(params) " }])),
            e => e.StartsWith("spec.auditAnnotations[0].valueExpression: Invalid value: \" string(params) \": compilation failed: ", StringComparison.Ordinal));
    }
}
