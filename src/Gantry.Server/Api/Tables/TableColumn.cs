namespace Gantry.Server.Api.Tables;

/// <summary>
/// A column definition of a <c>meta.k8s.io/v1</c> Table. <paramref name="Priority"/> 0 columns are always
/// printed, priority 1 only with <c>-o wide</c>.
/// </summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority = 0)
{
    public static TableColumn ObjectName { get; } = new("Name", "string", "name",
        "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names");

    public static TableColumn Age { get; } = new("Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created.");

    public static TableColumn Text(string name, string description, int priority = 0) =>
        new(name, "string", "", description, priority);
}
