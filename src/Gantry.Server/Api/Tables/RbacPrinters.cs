using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>
/// kube's <c>printRole</c>, <c>printClusterRole</c>, <c>printRoleBinding</c> and <c>printClusterRoleBinding</c>: a role
/// is its name and creation time; a binding its role as <c>Kind/name</c>, and with <c>-o wide</c> its subjects by kind.
/// </summary>
internal static class RbacPrinters
{
    public static TablePrinter Role { get; } = new(
        [TableColumn.ObjectName, new("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.")],
        (role, _) => [CellFormat.Name(role), CreatedAt(role)]);

    public static TablePrinter Binding { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
            TableColumn.Age,
            TableColumn.Text("Users", "Users in the roleBinding", priority: 1),
            TableColumn.Text("Groups", "Groups in the roleBinding", priority: 1),
            TableColumn.Text("ServiceAccounts", "ServiceAccounts in the roleBinding", priority: 1),
        ],
        (binding, now) =>
        [
            CellFormat.Name(binding),
            $"{JsonRead.String(binding, "roleRef", "kind")}/{JsonRead.String(binding, "roleRef", "name")}",
            CellFormat.Age(binding, now),
            Subjects(binding, "User", s => JsonRead.String(s, "name")),
            Subjects(binding, "Group", s => JsonRead.String(s, "name")),
            Subjects(binding, "ServiceAccount", s => $"{JsonRead.String(s, "namespace")}/{JsonRead.String(s, "name")}"),
        ]);

    /// <summary>The creation time in UTC, RFC 3339, as Go's <c>time.RFC3339</c> writes it.</summary>
    private static string CreatedAt(JsonObject role) =>
        JsonRead.Time(role, "metadata", "creationTimestamp") is { } time
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "0001-01-01T00:00:00Z";

    /// <summary>rbac's <c>SubjectsStrings</c> for one kind, joined with <c>", "</c>.</summary>
    private static string Subjects(JsonObject binding, string kind, Func<JsonObject, string> format) =>
        string.Join(", ", JsonRead.Objects(binding, "subjects").Where(s => JsonRead.String(s, "kind") == kind).Select(format));
}
