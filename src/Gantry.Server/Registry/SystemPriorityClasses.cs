namespace Gantry.Server.Registry;

/// <summary>
/// The PriorityClasses every cluster has (kube's <c>scheduling.SystemPriorityClasses</c>), created at the first start,
/// reserved by name and value, and known to pod admission before any exists.
/// </summary>
public static class SystemPriorityClasses
{
    public static readonly IReadOnlyList<(string Name, int Value, string Description)> All =
    [
        ("system-node-critical", 2000001000, "Used for system critical pods that must not be moved from their current node."),
        ("system-cluster-critical", 2000000000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ];

    /// <summary>The value of the system class <paramref name="name"/>, or null when it names none.</summary>
    public static int? ValueOf(string name)
    {
        foreach (var systemClass in All)
        {
            if (systemClass.Name == name)
            {
                return systemClass.Value;
            }
        }

        return null;
    }
}
