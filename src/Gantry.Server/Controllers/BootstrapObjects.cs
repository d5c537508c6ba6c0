using System.Net;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;

namespace Gantry.Server.Controllers;

/// <summary>
/// The objects a cluster has from its first start: the system namespaces, runtime classes, priority classes, the default
/// StorageClass, RBAC's default roles and bindings (<see cref="RbacBootstrap"/>), and the
/// <c>kubernetes</c> Service with its endpoints (<see cref="EnsureKubernetesServiceAsync"/>).
/// </summary>
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

        var priorityClasses = ResourceCatalog.Get("scheduling.k8s.io", "priorityclasses");
        foreach (var (name, value, description) in SystemPriorityClasses.All)
        {
            var priorityClass = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["value"] = value, ["description"] = description };
            await EnsureAsync(registry, priorityClasses, priorityClass, cancellationToken).ConfigureAwait(false);
        }

        await EnsureAsync(registry, ResourceCatalog.Get("storage.k8s.io", "storageclasses"), DefaultStorageClass(), cancellationToken).ConfigureAwait(false);
        await RbacBootstrap.EnsureAsync(registry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>local-path</c>, the class claims get when they name none: a directory on the node the claim's first pod is
    /// scheduled to (k3s ships rancher's local-path-provisioner the same way). Created only when absent, so an edited
    /// class is kept.
    /// </summary>
    private static JsonObject DefaultStorageClass() => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = "local-path",
            ["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" },
        },
        ["provisioner"] = Volumes.VolumeAnnotations.LocalPathProvisioner,
        ["reclaimPolicy"] = "Delete",
        ["volumeBindingMode"] = "WaitForFirstConsumer",
        ["parameters"] = new JsonObject { ["nodePath"] = Volumes.LocalPathVolume.DefaultNodePath },
    };

    /// <summary>
    /// Creates the <c>kubernetes</c> Service (cluster IP <paramref name="clusterIp"/>, port 443) and its
    /// Endpoints and EndpointSlice pointing at <paramref name="address"/>:<paramref name="apiPort"/>, or
    /// brings their ports and addresses up to date when the server restarts somewhere else, as
    /// kube-apiserver's endpoint reconciler does.
    /// </summary>
    public static async Task EnsureKubernetesServiceAsync(ObjectRegistry registry, IPAddress clusterIp, IPAddress address, int apiPort, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        await EnsureCurrentAsync(registry, ResourceCatalog.Get("", "services"), KubernetesServiceObjects.Service(clusterIp, apiPort), (current, wanted) =>
            current["spec"]!["ports"] = wanted["spec"]!["ports"]!.DeepClone(), cancellationToken).ConfigureAwait(false);
        await EnsureCurrentAsync(registry, ResourceCatalog.Get("", "endpoints"), KubernetesServiceObjects.Endpoints(address, apiPort), (current, wanted) =>
            current["subsets"] = wanted["subsets"]!.DeepClone(), cancellationToken).ConfigureAwait(false);
        await EnsureCurrentAsync(registry, ResourceCatalog.Get("discovery.k8s.io", "endpointslices"), KubernetesServiceObjects.EndpointSlice(address, apiPort), (current, wanted) =>
        {
            current["endpoints"] = wanted["endpoints"]!.DeepClone();
            current["ports"] = wanted["ports"]!.DeepClone();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates <paramref name="wanted"/> in its namespace, or copies into the stored object what <paramref name="update"/> copies.</summary>
    private static async Task EnsureCurrentAsync(
        ObjectRegistry registry, ResourceType type, JsonObject wanted, Action<JsonObject, JsonObject> update, CancellationToken cancellationToken)
    {
        var ns = ObjectMetadata.Namespace(wanted);
        var name = ObjectMetadata.Name(wanted)!;
        var options = new WriteOptions(FieldManager: "gantry");
        if (registry.Get(type, ns, name) is null)
        {
            try
            {
                await registry.CreateAsync(type, ns, wanted, options, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Created concurrently: brought up to date below.
            }
        }

        await registry.MutateAsync(type, ns, name, current =>
        {
            update(current, wanted);
            return current;
        }, null, null, options, cancellationToken).ConfigureAwait(false);
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
