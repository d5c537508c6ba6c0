using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Security;

/// <summary>
/// kube's privilege-escalation prevention for RBAC writes (the <c>policybased</c> storage of the four kinds): a user
/// may create or change a Role or ClusterRole only with rules it already holds, or with the <c>escalate</c> verb on
/// it; and a RoleBinding or ClusterRoleBinding only to a role whose rules it already holds, or with the <c>bind</c>
/// verb on that role. Writes without a user (the server's own) and writes by <c>system:masters</c> always pass, as
/// do updates that change only what the garbage collector changes (owner references, finalizers). A Role or
/// RoleBinding is judged by the user's rules in its namespace, a ClusterRole or ClusterRoleBinding by its
/// cluster-wide rules only.
/// </summary>
/// <param name="cache">Where a binding's role is read, as the registry reads it: the role may be only just created.</param>
public sealed class RbacEscalationAdmission(RequestAuthorizer authorizer, WatchCache cache) : IWriteAdmission
{
    private const string Group = "rbac.authorization.k8s.io";

    private static readonly ResourceType Roles = ResourceCatalog.Get(Group, "roles");

    private static readonly ResourceType ClusterRoles = ResourceCatalog.Get(Group, "clusterroles");

    public void Admit(ResourceType type, string? ns, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(options);
        // kube's EscalationAllowed: the server's own writes and the masters' may grant anything.
        if (type.Group != Group || options.User is not { } user || user.IsIn(RequestUser.Masters) || OnlyGarbageCollectorFields(obj, old))
        {
            return;
        }

        var name = obj.Metadata.Name ?? "";
        switch (obj)
        {
            case V1Role role when !EscalateAuthorized(user, type, ns, name, old):
                Confirm(type, name, user, ns, Rules(role.Rules));
                break;
            case V1ClusterRole clusterRole when !EscalateAuthorized(user, type, null, name, old):
                Confirm(type, name, user, null, Rules(clusterRole.Rules));
                // An aggregation rule can gather anything, and keeps a role from being tightened: set, changed or
                // dropped, it needs every right.
                if ((HasAggregationRule(clusterRole) || HasAggregationRule(old as V1ClusterRole)) &&
                    RbacEscalation.Refusal(user, authorizer.RbacRulesFor(user, null), RbacEscalation.FullAuthority) is not null)
                {
                    throw ApiException.Forbidden(type, name, "must have cluster-admin privileges to use the aggregationRule");
                }

                break;
            case V1RoleBinding binding:
                ConfirmBinding(type, name, user, ns, binding.RoleRef);
                break;
            case V1ClusterRoleBinding binding:
                ConfirmBinding(type, name, user, null, binding.RoleRef);
                break;
        }
    }

    /// <summary>
    /// kube's <c>RoleEscalationAuthorized</c>: the verb <c>escalate</c> on the role, named as the request names it. A
    /// create's request names no object, so there only a rule for every name counts, as in kube.
    /// </summary>
    private bool EscalateAuthorized(RequestUser user, ResourceType type, string? ns, string name, IKubernetesObject<V1ObjectMeta>? old) =>
        authorizer.Allows(user, new RequestAttributes("escalate", Group, type.Plural, null, ns, old is null ? null : name));

    /// <summary>
    /// kube's <c>BindingAuthorized</c> (the verb <c>bind</c> on the role, in the binding's namespace), else the rules of
    /// the role must be the user's already, in that namespace.
    /// </summary>
    private void ConfirmBinding(ResourceType type, string name, RequestUser user, string? ns, V1RoleRef roleRef)
    {
        var roleType = roleRef.Kind == "Role" ? Roles : ClusterRoles;
        if (authorizer.Allows(user, new RequestAttributes("bind", roleRef.ApiGroup ?? "", roleType.Plural, null, ns, roleRef.Name)))
        {
            return;
        }

        Confirm(type, name, user, ns, RoleReferenceRules(roleRef, ns));
    }

    private void Confirm(ResourceType type, string name, RequestUser user, string? ns, IEnumerable<PolicyRule> granted)
    {
        if (RbacEscalation.Refusal(user, authorizer.RbacRulesFor(user, ns), granted, authorizer.RbacResolutionErrors(user, ns)) is { } refusal)
        {
            throw ApiException.Forbidden(type, name, refusal);
        }
    }

    /// <summary>kube's <c>GetRoleReferenceRules</c>: the stored role's rules; a role that does not exist is NotFound.</summary>
    private List<PolicyRule> RoleReferenceRules(V1RoleRef roleRef, string? ns)
    {
        var (roleType, roleNamespace) = roleRef.Kind switch
        {
            "Role" => (Roles, ns),
            "ClusterRole" => (ClusterRoles, null),
            // Validation refuses any other kind before admission runs.
            _ => throw ApiException.BadRequest($"unsupported role reference kind: \"{roleRef.Kind}\""),
        };
        var stored = cache.Get(roleType.Key(roleNamespace, roleRef.Name)) ?? throw ApiException.NotFound(roleType, roleRef.Name);
        return ObjectDecoder.DecodeStored(roleType, stored.Json) switch
        {
            V1Role role => Rules(role.Rules),
            V1ClusterRole clusterRole => Rules(clusterRole.Rules),
            _ => [],
        };
    }

    private static List<PolicyRule> Rules(IList<V1PolicyRule>? rules) => [.. (rules ?? []).Select(PolicyRule.Of)];

    private static bool HasAggregationRule(V1ClusterRole? role) => role?.AggregationRule?.ClusterRoleSelectors is { Count: > 0 };

    /// <summary>
    /// kube's <c>IsOnlyMutatingGCFields</c>: an update that changes nothing but owner references and finalizers (and so
    /// the bookkeeping of who wrote it) grants nothing new, whoever sends it.
    /// </summary>
    private static bool OnlyGarbageCollectorFields(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old) =>
        old is not null && JsonNode.DeepEquals(WithoutGarbageCollectorFields(obj), WithoutGarbageCollectorFields(old));

    private static JsonObject WithoutGarbageCollectorFields(IKubernetesObject<V1ObjectMeta> obj)
    {
        var node = ObjectDecoder.ToNode(obj);
        var metadata = ObjectMetadata.Of(node);
        foreach (var field in new[] { "ownerReferences", "finalizers", "resourceVersion", "managedFields", "selfLink" })
        {
            metadata.Remove(field);
        }

        return node;
    }
}
