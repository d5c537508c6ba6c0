using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary><c>kubectl get services</c>: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR.</summary>
internal static class ServicePrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Type", "type determines how the Service is exposed."),
            TableColumn.Text("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
            TableColumn.Text("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            TableColumn.Text("Port(s)", "The list of ports that are exposed by this service."),
            TableColumn.Age,
            TableColumn.Text("Selector", "Route service traffic to pods with label keys and values matching this selector.", 1),
        ],
        Cells);

    private static JsonNode?[] Cells(JsonObject service, DateTimeOffset now)
    {
        var spec = JsonRead.At(service, "spec");
        var clusterIp = JsonRead.Strings(spec, "clusterIPs").FirstOrDefault() ?? CellFormat.None;
        var ports = string.Join(",", JsonRead.Objects(spec, "ports").Select(Port));
        return
        [
            CellFormat.Name(service),
            JsonRead.String(spec, "type"),
            clusterIp,
            ExternalIp(service),
            ports.Length == 0 ? CellFormat.None : ports,
            CellFormat.Age(service, now),
            CellFormat.Labels(JsonRead.At(spec, "selector")),
        ];
    }

    private static string Port(JsonObject port)
    {
        var protocol = JsonRead.String(port, "protocol");
        var nodePort = JsonRead.Long(port, "nodePort");
        return nodePort > 0
            ? $"{JsonRead.Long(port, "port")}:{nodePort}/{protocol}"
            : $"{JsonRead.Long(port, "port")}/{protocol}";
    }

    private static string ExternalIp(JsonObject service)
    {
        var spec = JsonRead.At(service, "spec");
        var externalIps = JsonRead.Strings(spec, "externalIPs").ToList();
        switch (JsonRead.String(spec, "type"))
        {
            case "ClusterIP":
            case "NodePort":
                return externalIps.Count > 0 ? string.Join(",", externalIps) : CellFormat.None;
            case "LoadBalancer":
                var ingress = JsonRead.Objects(service, "status", "loadBalancer", "ingress")
                    .Select(i => JsonRead.String(i, "ip") is { Length: > 0 } ip ? ip : JsonRead.String(i, "hostname"))
                    .Where(a => a.Length > 0)
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                var all = ingress.Concat(externalIps).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            case "ExternalName":
                return JsonRead.String(spec, "externalName");
            default:
                return "<unknown>";
        }
    }
}
