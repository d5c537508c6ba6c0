using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary><c>kubectl get endpointslices</c>: NAME ADDRESSTYPE PORTS ENDPOINTS AGE, as Kubernetes' <c>printEndpointSlice</c>.</summary>
internal static class EndpointSlicePrinter
{
    private const int Shown = 3;

    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("AddressType", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type."),
            TableColumn.Text("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
            TableColumn.Text("Endpoints", "endpoints is a list of unique endpoints in this slice."),
            TableColumn.Age,
        ],
        (slice, now) =>
        [
            CellFormat.Name(slice),
            JsonRead.String(slice, "addressType"),
            ListWithMore(JsonRead.Objects(slice, "ports").Select(PortText).ToList()),
            ListWithMore(JsonRead.Objects(slice, "endpoints").SelectMany(e => JsonRead.Strings(e, "addresses")).ToList()),
            CellFormat.Age(slice, now),
        ]);

    /// <summary>The port number, else its name, else <c>*</c> (<c>formatDiscoveryPorts</c>).</summary>
    private static string PortText(JsonObject port) =>
        JsonRead.OptionalLong(port, "port") is { } number ? number.ToString(CultureInfo.InvariantCulture)
        : JsonRead.At(port, "name") is JsonValue name ? name.GetValue<string>()
        : "*";

    /// <summary><c>listWithMoreString</c>: three entries, then "+ N more...", or <c>&lt;unset&gt;</c> for none.</summary>
    private static string ListWithMore(List<string> entries)
    {
        var text = string.Join(",", entries.Take(Shown));
        if (entries.Count > Shown)
        {
            return $"{text} + {entries.Count - Shown} more...";
        }

        return text.Length == 0 ? "<unset>" : text;
    }
}
