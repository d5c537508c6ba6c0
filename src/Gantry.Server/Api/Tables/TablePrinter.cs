using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// The columns of one kind and how to fill them from a stored object. Cells hold strings, integers or booleans,
/// in column order, the wide (priority 1) ones included: the server always sends them and kubectl hides them
/// unless asked for <c>-o wide</c>. <see cref="Conditions"/> yields the row's conditions, if the kind has any.
/// </summary>
internal sealed record TablePrinter(
    IReadOnlyList<TableColumn> Columns,
    Func<JsonObject, DateTimeOffset, JsonNode?[]> Cells,
    Func<JsonObject, JsonArray?>? Conditions = null);
