using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>kube's <c>printIngress</c> and <c>printIngressClass</c>, as the server prints them (wide: no address cut short).</summary>
internal static class IngressPrinters
{
    private const int ShownHosts = 3;

    public static TablePrinter Ingress { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Class", "The name of the IngressClass resource that should be used for additional configuration"),
            TableColumn.Text("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
            TableColumn.Text("Address", "Address is a list containing ingress points for the load-balancer"),
            TableColumn.Text("Ports", "Ports of TLS configurations that open"),
            TableColumn.Age,
        ],
        (ingress, now) =>
        [
            CellFormat.Name(ingress),
            JsonRead.String(ingress, "spec", "ingressClassName") is { Length: > 0 } className ? className : "<none>",
            Hosts(JsonRead.Objects(ingress, "spec", "rules").ToList()),
            Address(ingress),
            JsonRead.Count(ingress, "spec", "tls") > 0 ? "80, 443" : "80",
            CellFormat.Age(ingress, now),
        ]);

    public static TablePrinter IngressClass { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Controller", "Controller that is responsible for handling this class"),
            TableColumn.Text("Parameters", "A reference to a resource with additional parameters"),
            TableColumn.Age,
        ],
        (ingressClass, now) =>
        [
            CellFormat.Name(ingressClass),
            JsonRead.String(ingressClass, "spec", "controller"),
            Parameters(JsonRead.At(ingressClass, "spec", "parameters") as JsonObject),
            CellFormat.Age(ingressClass, now),
        ]);

    /// <summary>
    /// kube's <c>formatHosts</c>: the first three hosts the rules name, then, when a rule follows them, how many rules the
    /// table leaves out counted as kube counts them (all rules but three); <c>*</c> when no rule names a host.
    /// </summary>
    private static string Hosts(List<JsonObject> rules)
    {
        var hosts = new List<string>();
        var more = false;
        foreach (var rule in rules)
        {
            more |= hosts.Count == ShownHosts;
            if (!more && JsonRead.String(rule, "host") is { Length: > 0 } host)
            {
                hosts.Add(host);
            }
        }

        if (hosts.Count == 0)
        {
            return "*";
        }

        var shown = string.Join(",", hosts);
        return more ? $"{shown} + {rules.Count - ShownHosts} more..." : shown;
    }

    /// <summary>kube's <c>ingressLoadBalancerStatusStringer</c>: each entry's IP, else its hostname, sorted and unique.</summary>
    private static string Address(JsonObject ingress) =>
        string.Join(",", JsonRead.Objects(ingress, "status", "loadBalancer", "ingress")
            .Select(e => JsonRead.String(e, "ip") is { Length: > 0 } ip ? ip : JsonRead.String(e, "hostname"))
            .Where(a => a.Length > 0)
            .Distinct()
            .Order(StringComparer.Ordinal));

    private static string Parameters(JsonObject? parameters)
    {
        if (parameters is null)
        {
            return "<none>";
        }

        // kube adds the group whenever it is set, an empty one too ("Config./default").
        var kind = JsonRead.String(parameters, "kind");
        var qualified = parameters.ContainsKey("apiGroup") && parameters["apiGroup"] is not null ? $"{kind}.{JsonRead.String(parameters, "apiGroup")}" : kind;
        return qualified + "/" + JsonRead.String(parameters, "name");
    }
}
