namespace Gantry.Server.Api.Discovery;

/// <summary>The verbs every served resource type supports, as discovery lists them.</summary>
public static class ResourceVerbs
{
    public static IReadOnlyList<string> Standard { get; } =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
