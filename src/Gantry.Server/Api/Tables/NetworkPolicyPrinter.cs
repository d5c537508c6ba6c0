namespace Gantry.Server.Api.Tables;

/// <summary>kube's <c>printNetworkPolicy</c>: the pods the policy selects, <c>&lt;none&gt;</c> for all of its namespace's.</summary>
internal static class NetworkPolicyPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Pod-Selector",
                "podSelector selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by " +
                "this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined " +
                "additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in " +
                "this namespace."),
            TableColumn.Age,
        ],
        (policy, now) => [CellFormat.Name(policy), CellFormat.LabelSelectorOrNone(JsonRead.At(policy, "spec", "podSelector")), CellFormat.Age(policy, now)]);
}
