using System.Globalization;
using System.Text.Json;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// CEL validation rules (<c>x-kubernetes-validations</c>) in a CustomResourceDefinition's schema, through the real kubectl,
/// as kube's "Validation rules" section of the CustomResourceDefinition guide describes them: a rule that is false refuses
/// the write with its <c>message</c>, its <c>messageExpression</c>'s value or <c>failed rule: RULE</c>; <c>reason</c> and
/// <c>fieldPath</c> choose the error's type and field; rules on list items name the item; transition rules
/// (<c>oldSelf</c>) judge updates only; every broken rule is reported; and an object of the wrong shape is refused
/// without its rules being checked. Each test defines the Scaler kind in a group of its own (<c>TAG.e2e.example.com</c>).
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class ValidationRuleTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task A_rule_with_a_message_refuses_an_object_that_breaks_it_with_that_message_and_stores_nothing()
    {
        var (group, ns) = await ScalersAsync("rule-message");

        var refused = await Fails(Stdin(Scaler(group, "big", replicas: 2, minReplicas: 1, maxReplicas: 200)), "create", "-n", ns, "-f", "-");

        Check.StderrContains(refused, "The Scaler \"big\" is invalid: spec: Invalid value: \"object\": maxReplicas must be at most 100");
        Check.StderrContains(await Fails("get", "scalers." + group, "big", "-n", ns), "not found");
    }

    [Fact]
    public async Task A_schema_tightened_after_an_object_was_stored_lets_its_other_fields_change_but_not_the_invalid_one()
    {
        var (group, ns) = await ScalersAsync("ratchet");
        await Ok(Stdin(Scaler(group, "tight", specName: "longer-than-ten")), "create", "-n", ns, "-f", "-");
        await Ok(Stdin(ScalerDefinition(group, nameMaxLength: 10)), "apply", "-f", "-");

        await Ok("label", "scalers." + group, "tight", "-n", ns, "tier=web");
        await Ok("patch", "scalers." + group, "tight", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":3}}""");
        var refused = await Fails("patch", "scalers." + group, "tight", "-n", ns, "--type", "merge", "-p", """{"spec":{"name":"still-longer-than-ten"}}""");

        Check.StderrContains(refused, "spec.name: Too long: may not be more than 10 bytes");
    }

    [Fact]
    public async Task A_rule_without_a_message_refuses_with_failed_rule_and_the_rule()
    {
        var (group, ns) = await ScalersAsync("rule-bare");

        var refused = await Fails(Stdin(Scaler(group, "under", replicas: 2, minReplicas: 3, maxReplicas: 10)), "create", "-n", ns, "-f", "-");

        Check.StderrContains(refused,
            "The Scaler \"under\" is invalid: spec: Invalid value: \"object\": failed rule: self.replicas >= self.minReplicas");
    }

    [Fact]
    public async Task A_message_expression_gives_the_message_it_evaluates_to()
    {
        var (group, ns) = await ScalersAsync("rule-message-expression");

        var refused = await Fails(Stdin(Scaler(group, "over", replicas: 7, minReplicas: 1, maxReplicas: 5)), "create", "-n", ns, "-f", "-");

        Check.StderrContains(refused, "The Scaler \"over\" is invalid: spec: Invalid value: \"object\": replicas must be at most 5");
    }

    [Fact]
    public async Task A_rule_with_reason_FieldValueForbidden_and_a_field_path_is_reported_as_forbidden_at_that_field()
    {
        var (group, ns) = await ScalersAsync("rule-forbidden");

        var refused = await Fails(Stdin(Scaler(group, "legacy", mode: "Legacy")), "create", "-n", ns, "-f", "-");

        Check.StderrContains(refused, "The Scaler \"legacy\" is invalid: spec.mode: Forbidden: mode Legacy is no longer supported");
    }

    [Fact]
    public async Task A_rule_on_list_items_names_the_item_that_breaks_it()
    {
        var (group, ns) = await ScalersAsync("rule-items");

        var refused = await Fails(Stdin(Scaler(group, "ports", ports: [80, 0, 443])), "create", "-n", ns, "-f", "-");

        Check.StderrContains(refused, "The Scaler \"ports\" is invalid: spec.ports[1]: Invalid value: \"integer\": ports must be between 1 and 65535");
    }

    [Fact]
    public async Task A_transition_rule_lets_the_create_through_and_refuses_a_patch_that_changes_the_field()
    {
        var (group, ns) = await ScalersAsync("rule-transition");

        await Ok(Stdin(Scaler(group, "fixed", specName: "first")), "create", "-n", ns, "-f", "-");
        var refused = await Fails("patch", "scalers." + group, "fixed", "-n", ns, "--type", "merge", "-p", """{"spec":{"name":"second"}}""");

        Check.StderrContains(refused, "The Scaler \"fixed\" is invalid: spec.name: Invalid value: \"string\": name is immutable");
        Check.Equal("first", await JsonPath(ns, $"scalers.{group}/fixed", "{.spec.name}"), "spec.name");
    }

    [Fact]
    public async Task A_transition_rule_lets_a_patch_of_another_field_through()
    {
        var (group, ns) = await ScalersAsync("rule-transition-other");
        await Ok(Stdin(Scaler(group, "fixed", specName: "first")), "create", "-n", ns, "-f", "-");

        await Ok("patch", "scalers." + group, "fixed", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":3}}""");

        Check.Equal("first 3", await JsonPath(ns, $"scalers.{group}/fixed", "{.spec.name} {.spec.replicas}"), "spec.name and spec.replicas");
    }

    [Fact]
    public async Task Kubectl_lists_every_broken_rule_of_one_refusal()
    {
        var (group, ns) = await ScalersAsync("rule-several");

        var refused = await Fails(Stdin(Scaler(group, "broken", replicas: 1, minReplicas: 2, maxReplicas: 200, mode: "Legacy")), "create", "-n", ns, "-f", "-");

        // kubectl lists the causes of an Invalid refusal, one a line, when there are several.
        Check.StderrContains(refused, "The Scaler \"broken\" is invalid: \n");
        Check.StderrContains(refused, "\n* spec: Invalid value: \"object\": maxReplicas must be at most 100\n");
        Check.StderrContains(refused, "\n* spec: Invalid value: \"object\": failed rule: self.replicas >= self.minReplicas\n");
        Check.StderrContains(refused, "\n* spec.mode: Forbidden: mode Legacy is no longer supported");
        Assert.DoesNotContain("replicas must be at most 200", refused.Stderr, StringComparison.Ordinal); // the rule kept is not reported
    }

    [Fact]
    public async Task The_status_of_a_refusal_joins_every_broken_rule_in_its_message_and_lists_each_as_a_cause()
    {
        var (group, ns) = await ScalersAsync("rule-status");
        var body = JsonSerializer.Serialize(new
        {
            apiVersion = group + "/v1",
            kind = "Scaler",
            metadata = new { name = "broken" },
            spec = new { replicas = 1, minReplicas = 2, maxReplicas = 200, name = "scaler", mode = "Legacy" },
        });

        var (code, status) = await PostAsync($"/apis/{group}/v1/namespaces/{ns}/scalers", body);

        Check.Equal(422, code, "the HTTP status");
        Check.Equal("Invalid", Json.Text(status, "reason"), "reason");
        Check.Equal(
            $"Scaler.{group} \"broken\" is invalid: [spec: Invalid value: \"object\": maxReplicas must be at most 100, " +
            "spec: Invalid value: \"object\": failed rule: self.replicas >= self.minReplicas, spec.mode: Forbidden: mode Legacy is no longer supported]",
            Json.Text(status, "message"), "message");
        Check.Equal(
            "FieldValueInvalid spec|FieldValueInvalid spec|FieldValueForbidden spec.mode",
            string.Join('|', Json.Items(status, "details.causes").Select(c => $"{Json.Text(c, "reason")} {Json.Text(c, "field")}")),
            "details.causes");
    }

    [Fact]
    public async Task An_object_that_keeps_every_rule_is_created_and_a_valid_change_is_applied()
    {
        var (group, ns) = await ScalersAsync("rule-valid");

        var created = await Ok(Stdin(Scaler(group, "good", replicas: 2, ports: [80, 443])), "apply", "-n", ns, "-f", "-");
        var applied = await Ok(Stdin(Scaler(group, "good", replicas: 4, ports: [80, 443, 8080], mode: "Fast")), "apply", "-n", ns, "-f", "-");

        Check.StdoutContains(created, $"scaler.{group}/good created");
        Check.StdoutContains(applied, $"scaler.{group}/good configured");
        Check.Equal("4 [80,443,8080] Fast", await JsonPath(ns, $"scalers.{group}/good", "{.spec.replicas} {.spec.ports} {.spec.mode}"),
            "spec.replicas, spec.ports and spec.mode");
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_refused_and_the_rules_are_left_unchecked()
    {
        var (group, ns) = await ScalersAsync("rule-wrong-type");
        var manifest = Scaler(group, "many", replicas: 2).Replace("replicas: 2\n", "replicas: \"many\"\n", StringComparison.Ordinal);

        var refused = await Fails(Stdin(manifest), "create", "-n", ns, "-f", "-");

        Check.StderrContains(refused, "The Scaler \"many\" is invalid");
        Check.StderrContains(refused, "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        Check.StderrContains(refused, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
    }

    private static KubectlOptions Stdin(string manifest) => new() { Stdin = manifest };

    /// <summary>
    /// POSTs <paramref name="json"/> to <paramref name="path"/> as the admin with curl, the token passed on stdin so that
    /// it stays out of the logged command line; the HTTP status and the parsed body.
    /// </summary>
    private async Task<(int Code, JsonElement Body)> PostAsync(string path, string json)
    {
        var result = Check.Succeeded(await ProcessRunner.RunAsync("curl",
            ["-sk", "-X", "POST", "-H", "@-", "-H", "Content-Type: application/json", "-d", json, "-w", "\n%{http_code}", Fixture.BaseUrl + path],
            "Authorization: Bearer " + AdminToken() + "\n", null, TimeSpan.FromSeconds(15)));
        Output.WriteLine(result.Describe());
        var cut = result.Stdout.LastIndexOf('\n');
        using var body = JsonDocument.Parse(result.Stdout[..cut]);
        return (int.Parse(result.Stdout[(cut + 1)..], CultureInfo.InvariantCulture), body.RootElement.Clone());
    }

    private async Task<CommandResult> Fails(KubectlOptions options, params string[] args) => Check.Failed(await Kubectl.RunAsync(args, options));

    /// <summary>Defines the Scaler kind in <c>TAG.e2e.example.com</c> and creates the namespace <c>e2e-TAG</c>.</summary>
    private async Task<(string Group, string Namespace)> ScalersAsync(string tag)
    {
        var group = tag + ".e2e.example.com";
        await Ok(Stdin(ScalerDefinition(group)), "apply", "-f", "-");
        await Ok("wait", "--for", "condition=established", "crd/scalers." + group, "--timeout=20s");
        return (group, await CreateNamespaceAsync(tag));
    }

    /// <summary>
    /// The Scaler kind. On <c>spec</c>: <c>maxReplicas &lt;= 100</c> with a message, <c>replicas &gt;= minReplicas</c> without
    /// one, <c>replicas &lt;= maxReplicas</c> with a message expression, and mode Legacy forbidden at <c>.mode</c>; each item
    /// of <c>spec.ports</c> a port number; <c>spec.name</c> immutable. Each rule on <c>spec</c> can be broken alone.
    /// </summary>
    private static string ScalerDefinition(string group, int nameMaxLength = 63) => $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: scalers.{{group}}
        spec:
          group: {{group}}
          scope: Namespaced
          names: {plural: scalers, singular: scaler, kind: Scaler}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [replicas, minReplicas, maxReplicas]
                    x-kubernetes-validations:
                    - rule: self.maxReplicas <= 100
                      message: maxReplicas must be at most 100
                    - rule: self.replicas >= self.minReplicas
                    - rule: self.replicas <= self.maxReplicas
                      messageExpression: "'replicas must be at most ' + string(self.maxReplicas)"
                    - rule: "!has(self.mode) || self.mode != 'Legacy'"
                      message: mode Legacy is no longer supported
                      reason: FieldValueForbidden
                      fieldPath: .mode
                    properties:
                      replicas: {type: integer}
                      minReplicas: {type: integer}
                      maxReplicas: {type: integer}
                      name:
                        type: string
                        maxLength: {{nameMaxLength}}
                        x-kubernetes-validations:
                        - rule: self == oldSelf
                          message: name is immutable
                      ports:
                        type: array
                        maxItems: 16
                        items:
                          type: integer
                          x-kubernetes-validations:
                          - rule: self > 0 && self < 65536
                            message: ports must be between 1 and 65535
                      mode: {type: string}

        """;

    private static string Scaler(string group, string name, int replicas = 2, int minReplicas = 1, int maxReplicas = 5,
        string specName = "scaler", int[]? ports = null, string? mode = null) => $$"""
        apiVersion: {{group}}/v1
        kind: Scaler
        metadata:
          name: {{name}}
        spec:
          replicas: {{replicas}}
          minReplicas: {{minReplicas}}
          maxReplicas: {{maxReplicas}}
          name: {{specName}}
          ports: [{{string.Join(", ", ports ?? [8080])}}]
        {{(mode is null ? "" : "  mode: " + mode + "\n")}}
        """;
}
