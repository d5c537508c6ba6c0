using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary><c>kubectl get nodes</c>: NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME.</summary>
internal static class NodePrinter
{
    private const string RolePrefix = "node-role.kubernetes.io/";
    private const string RoleLabel = "kubernetes.io/role";
    private const string Unknown = "<unknown>";

    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Status", "The status of the node"),
            TableColumn.Text("Roles", "The roles of the node"),
            TableColumn.Age,
            TableColumn.Text("Version", "Kubelet Version reported by the node."),
            TableColumn.Text("Internal-IP", "List of addresses reachable to the node.", 1),
            TableColumn.Text("External-IP", "List of addresses reachable to the node.", 1),
            TableColumn.Text("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
            TableColumn.Text("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
            TableColumn.Text("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
        ],
        Cells);

    private static JsonNode?[] Cells(JsonObject node, DateTimeOffset now)
    {
        var info = JsonRead.At(node, "status", "nodeInfo");
        return
        [
            CellFormat.Name(node),
            Status(node),
            Roles(node),
            CellFormat.Age(node, now),
            JsonRead.String(info, "kubeletVersion"),
            Address(node, "InternalIP"),
            Address(node, "ExternalIP"),
            OrUnknown(JsonRead.String(info, "osImage")),
            OrUnknown(JsonRead.String(info, "kernelVersion")),
            OrUnknown(JsonRead.String(info, "containerRuntimeVersion")),
        ];
    }

    /// <summary>Ready or NotReady from the Ready condition (Unknown without one), then SchedulingDisabled if cordoned.</summary>
    private static string Status(JsonObject node)
    {
        var parts = new List<string>();
        var ready = JsonRead.Objects(node, "status", "conditions").LastOrDefault(c => JsonRead.String(c, "type") == "Ready");
        if (ready is not null)
        {
            parts.Add(JsonRead.String(ready, "status") == "True" ? "Ready" : "NotReady");
        }
        else
        {
            parts.Add("Unknown");
        }

        if (JsonRead.Bool(node, "spec", "unschedulable"))
        {
            parts.Add("SchedulingDisabled");
        }

        return string.Join(",", parts);
    }

    private static string Roles(JsonObject node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in JsonRead.StringMap(node, "metadata", "labels"))
        {
            if (key.StartsWith(RolePrefix, StringComparison.Ordinal) && key.Length > RolePrefix.Length)
            {
                roles.Add(key[RolePrefix.Length..]);
            }
            else if (key == RoleLabel && value.Length > 0)
            {
                roles.Add(value);
            }
        }

        return roles.Count == 0 ? CellFormat.None : string.Join(",", roles);
    }

    private static string Address(JsonObject node, string type) =>
        JsonRead.Objects(node, "status", "addresses").FirstOrDefault(a => JsonRead.String(a, "type") == type) is { } address
            ? JsonRead.String(address, "address")
            : CellFormat.None;

    private static string OrUnknown(string value) => value.Length == 0 ? Unknown : value;
}
