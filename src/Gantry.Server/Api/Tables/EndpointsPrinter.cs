using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary><c>kubectl get endpoints</c>: NAME ENDPOINTS AGE, listing at most three addresses.</summary>
internal static class EndpointsPrinter
{
    private const int Shown = 3;

    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Endpoints", "Endpoints of the service, as IP:port pairs."),
            TableColumn.Age,
        ],
        (endpoints, now) => [CellFormat.Name(endpoints), Addresses(endpoints), CellFormat.Age(endpoints, now)]);

    /// <summary>
    /// Up to three <c>ip:port</c> entries (bare IPs for subsets without ports) and a "+ N more..." tail,
    /// counted as the Kubernetes printer counts them.
    /// </summary>
    private static string Addresses(JsonObject endpoints)
    {
        var subsets = JsonRead.Objects(endpoints, "subsets").ToList();
        if (subsets.Count == 0)
        {
            return CellFormat.None;
        }

        var list = new List<string>();
        var more = false;
        var count = 0;
        foreach (var subset in subsets)
        {
            var addresses = JsonRead.Objects(subset, "addresses").Select(a => JsonRead.String(a, "ip")).ToList();
            var ports = JsonRead.Objects(subset, "ports").ToList();
            if (ports.Count == 0)
            {
                count += addresses.Count;
                more |= Take(list, addresses);
                if (more)
                {
                    break;
                }

                continue;
            }

            foreach (var port in ports)
            {
                count += addresses.Count;
                var number = JsonRead.Long(port, "port").ToString(CultureInfo.InvariantCulture);
                more |= Take(list, addresses.Select(ip => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{number}" : $"{ip}:{number}"));
                if (more)
                {
                    break;
                }
            }
        }

        var text = string.Join(",", list);
        if (more)
        {
            return $"{text} + {count - Shown} more...";
        }

        return text.Length == 0 ? CellFormat.None : text;
    }

    /// <summary>Adds entries until three are listed; true when some did not fit.</summary>
    private static bool Take(List<string> list, IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            if (list.Count == Shown)
            {
                return true;
            }

            list.Add(entry);
        }

        return false;
    }
}
