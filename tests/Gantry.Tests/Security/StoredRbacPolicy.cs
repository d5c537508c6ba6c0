using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using Gantry.Server.Storage;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;

namespace Gantry.Tests.Security;

/// <summary>The RBAC policy of a test registry as it is whenever asked, read from its cache: the server's informers without their loop.</summary>
internal sealed class StoredRbacPolicy(RegistryTestContext context) : IRbacPolicySource
{
    public RbacPolicy Policy => RbacPolicy.From(All<V1Role>("roles"), All<V1ClusterRole>("clusterroles"), All<V1RoleBinding>("rolebindings"), All<V1ClusterRoleBinding>("clusterrolebindings"));

    private List<T> All<T>(string plural) where T : IKubernetesObject<V1ObjectMeta>
    {
        var type = ResourceCatalog.Get("rbac.authorization.k8s.io", plural);
        var (items, _, _) = context.Cache.List(type.KeyPrefix, new WatchFilter(type.KeyPrefix));
        return [.. items.Select(i => (T)ObjectDecoder.DecodeStored(type, i.Json))];
    }
}
