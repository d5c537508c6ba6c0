using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Resources.CustomResources;
using k8s.Models;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// The columns of a custom resource, as kube's CRD table convertor prints them: the name, then the version's
/// <c>additionalPrinterColumns</c> (an Age column of the creation time when it has none), each cell the value at the
/// column's JSON path: a date as an age, an integer, a number, a boolean or a string as such, nothing where the path
/// leads nowhere or to a value of another type.
/// </summary>
internal static class CustomResourcePrinter
{
    private static readonly V1CustomResourceColumnDefinition DefaultAge = new()
    {
        Name = "Age", Type = "date", JsonPath = ".metadata.creationTimestamp",
        Description = "CreationTimestamp is a timestamp representing the server time when this object was created.",
    };

    private static readonly ConditionalWeakTable<ICustomResourceVersion, TablePrinter> Printers = [];

    public static TablePrinter For(ResourceType type) => Printers.GetValue(type.Custom!, Build);

    private static TablePrinter Build(ICustomResourceVersion version)
    {
        var definitions = version.Version.AdditionalPrinterColumns is { Count: > 0 } given ? given : [DefaultAge];
        var columns = new List<TableColumn> { TableColumn.ObjectName };
        columns.AddRange(definitions.Select(c => new TableColumn(c.Name, c.Type, c.Format ?? "", c.Description ?? "", c.Priority ?? 0)));
        var paths = definitions.Select(c => SimpleJsonPath.Parse(c.JsonPath)).ToArray();
        return new TablePrinter(columns, (obj, now) =>
        {
            var cells = new JsonNode?[definitions.Count + 1];
            cells[0] = CellFormat.Name(obj);
            for (var i = 0; i < definitions.Count; i++)
            {
                cells[i + 1] = Cell(definitions[i].Type, paths[i]?.Find(obj), now);
            }

            return cells;
        });
    }

    private static JsonNode? Cell(string type, JsonNode? value, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        var kind = value.GetValueKind();
        return type switch
        {
            "date" when kind == JsonValueKind.String
                && DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) =>
                HumanDuration.Since(time, now),
            "integer" when kind == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out var integer) => integer,
            "number" when kind == JsonValueKind.Number => value.GetValue<double>(),
            "boolean" when kind is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
            "string" => kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(),
            _ => null,
        };
    }
}
