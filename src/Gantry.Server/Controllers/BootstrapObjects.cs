using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;

namespace Gantry.Server.Controllers;

/// <summary>The objects a cluster has from its first start: the system namespaces and runtime classes.</summary>
public static class BootstrapObjects
{
    private static readonly string[] Namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>RuntimeClass handlers the node agent implements; pods without one run as OCI containers.</summary>
    private static readonly string[] RuntimeClasses = ["oci", "process"];

    public static async Task EnsureAsync(ObjectRegistry registry, CancellationToken cancellationToken)
    {
        var namespaces = ResourceCatalog.Get("", "namespaces");
        foreach (var name in Namespaces)
        {
            await EnsureAsync(registry, namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, cancellationToken)
                .ConfigureAwait(false);
        }

        var runtimeClasses = ResourceCatalog.Get("node.k8s.io", "runtimeclasses");
        foreach (var name in RuntimeClasses)
        {
            await EnsureAsync(registry, runtimeClasses, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["handler"] = name }, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static async Task EnsureAsync(ObjectRegistry registry, ResourceType type, JsonObject obj, CancellationToken cancellationToken)
    {
        if (registry.Get(type, null, ObjectMetadata.Name(obj)!) is not null)
        {
            return;
        }

        try
        {
            await registry.CreateAsync(type, null, obj, new WriteOptions(FieldManager: "gantry"), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409)
        {
            // Created concurrently: it exists, which is all that is asked.
        }
    }
}
