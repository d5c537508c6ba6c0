using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>kube's <c>printControllerRevision</c>: the controller that owns the revision, as <c>kind.group/name</c>, and its number.</summary>
internal static class ControllerRevisionPrinter
{
    public static TablePrinter Printer { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Controller", "Controller of the object"),
            TableColumn.Text("Revision", "Revision indicates the revision of the state represented by Data."),
            TableColumn.Age,
        ],
        (revision, now) => [CellFormat.Name(revision), Controller(revision), JsonRead.Long(revision, "revision"), CellFormat.Age(revision, now)]);

    /// <summary>The controller as <c>formatResourceName</c> writes a group kind and a name, <c>&lt;none&gt;</c> without one.</summary>
    private static string Controller(JsonObject revision)
    {
        var controller = JsonRead.Objects(revision, "metadata", "ownerReferences").FirstOrDefault(r => JsonRead.Bool(r, "controller"));
        if (controller is null)
        {
            return "<none>";
        }

        var apiVersion = JsonRead.String(controller, "apiVersion");
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var kind = JsonRead.String(controller, "kind");
        var groupKind = slash < 0 ? kind : $"{kind}.{apiVersion[..slash]}";
        return $"{groupKind.ToLowerInvariant()}/{JsonRead.String(controller, "name")}";
    }
}
