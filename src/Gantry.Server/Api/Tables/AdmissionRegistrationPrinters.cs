using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// kube's printers of admissionregistration.k8s.io: a webhook configuration is its name, how many webhooks, the age
/// (<c>printMutatingWebhook</c>, <c>printValidatingWebhook</c>); a policy its validations and parameter kind
/// (<c>printValidatingAdmissionPolicy</c>); a binding its policy and parameters (<c>printValidatingAdmissionPolicyBinding</c>).
/// </summary>
internal static class AdmissionRegistrationPrinters
{
    private const string Unset = "<unset>";

    public static TablePrinter MutatingWebhookConfiguration { get; } = WebhookConfiguration();

    public static TablePrinter ValidatingWebhookConfiguration { get; } = WebhookConfiguration();

    public static TablePrinter ValidatingAdmissionPolicy { get; } = new(
        [
            TableColumn.ObjectName,
            new("Validations", "integer", "", "Validations indicates the number of validation rules defined in this configuration"),
            TableColumn.Text("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy"),
            TableColumn.Age,
        ],
        (policy, now) => [CellFormat.Name(policy), (long)JsonRead.Count(policy, "spec", "validations"), ParamKind(policy), CellFormat.Age(policy, now)]);

    public static TablePrinter ValidatingAdmissionPolicyBinding { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("PolicyName", "PolicyName indicates the policy definition which the policy binding binded to"),
            TableColumn.Text("ParamRef", "ParamRef indicates the param resource which sets the configration param"),
            TableColumn.Age,
        ],
        (binding, now) => [CellFormat.Name(binding), JsonRead.String(binding, "spec", "policyName"), ParamRef(binding), CellFormat.Age(binding, now)]);

    private static TablePrinter WebhookConfiguration() => new(
        [
            TableColumn.ObjectName,
            new("Webhooks", "integer", "", "Webhooks indicates the number of webhooks registered in this configuration"),
            TableColumn.Age,
        ],
        (configuration, now) => [CellFormat.Name(configuration), (long)JsonRead.Count(configuration, "webhooks"), CellFormat.Age(configuration, now)]);

    /// <summary><c>apiVersion/kind</c> of the parameters.</summary>
    private static string ParamKind(JsonObject policy) =>
        JsonRead.At(policy, "spec", "paramKind") is JsonObject paramKind
            ? $"{JsonRead.String(paramKind, "apiVersion")}/{JsonRead.String(paramKind, "kind")}"
            : Unset;

    /// <summary>
    /// <c>namespace/name</c> of a named parameter (<c>*/name</c> without a namespace: the printer cannot tell whether the
    /// kind is cluster-scoped), else the selector as Go's generated <c>LabelSelector.String()</c> prints it.
    /// </summary>
    private static string ParamRef(JsonObject binding)
    {
        if (JsonRead.At(binding, "spec", "paramRef") is not JsonObject paramRef)
        {
            return Unset;
        }

        var name = JsonRead.String(paramRef, "name");
        if (name.Length > 0)
        {
            var ns = JsonRead.String(paramRef, "namespace");
            return $"{(ns.Length > 0 ? ns : "*")}/{name}";
        }

        return paramRef["selector"] is JsonObject selector ? GoSelector(selector) : Unset;
    }

    private static string GoSelector(JsonObject selector)
    {
        var labels = string.Concat(JsonRead.StringMap(selector, "matchLabels").Select(p => $"{p.Key}: {p.Value},"));
        var expressions = string.Concat(JsonRead.Objects(selector, "matchExpressions").Select(e =>
            $"LabelSelectorRequirement{{Key:{JsonRead.String(e, "key")},Operator:{JsonRead.String(e, "operator")}," +
            $"Values:[{string.Join(" ", JsonRead.Strings(e, "values"))}],}},"));
        return $"&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{expressions}}},}}";
    }
}
