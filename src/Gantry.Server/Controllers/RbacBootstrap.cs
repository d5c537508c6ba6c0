using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using Gantry.Server.Storage;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// Creates kube's default ClusterRoles and ClusterRoleBindings (<see cref="BootstrapPolicy"/>) at every start, as
/// kube-apiserver's rbac/bootstrap-roles post-start hook does. A missing object is created. A stored one annotated
/// <c>rbac.authorization.kubernetes.io/autoupdate: "true"</c> gets back what the policy has and it lacks (labels,
/// annotations, aggregation selectors, rules, subjects) and keeps what was added to it; any other annotation value
/// means the user took it over, and it is left alone. Kube also counts a rule as present when broader ones cover it;
/// here only an identical rule does. Then the aggregated roles (<c>admin</c>, <c>edit</c>, <c>view</c>) are given the
/// rules of the roles they select (<see cref="ClusterRoleAggregation"/>).
/// </summary>
public static class RbacBootstrap
{
    private static readonly ResourceType ClusterRoles = ResourceCatalog.Get("rbac.authorization.k8s.io", "clusterroles");

    private static readonly ResourceType ClusterRoleBindings = ResourceCatalog.Get("rbac.authorization.k8s.io", "clusterrolebindings");

    private static readonly WriteOptions Options = new(FieldManager: "gantry");

    public static async Task EnsureAsync(ObjectRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var role in BootstrapPolicy.ClusterRoles)
        {
            await ReconcileAsync(registry, ClusterRoles, BootstrapPolicy.ToJson(role), ReconcileRole, cancellationToken).ConfigureAwait(false);
        }

        foreach (var binding in BootstrapPolicy.ClusterRoleBindings)
        {
            await ReconcileAsync(registry, ClusterRoleBindings, BootstrapPolicy.ToJson(binding), ReconcileBinding, cancellationToken).ConfigureAwait(false);
        }

        // Aggregated roles select one another (view into edit, edit into admin): repeat until nothing changes.
        for (var pass = 0; pass < 4 && await AggregateAsync(registry, cancellationToken).ConfigureAwait(false); pass++)
        {
        }
    }

    /// <summary>One aggregation pass over every ClusterRole that has an aggregation rule; true if one changed.</summary>
    public static async Task<bool> AggregateAsync(ObjectRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var (items, _, _) = registry.Cache.List(ClusterRoles.KeyPrefix, new WatchFilter(ClusterRoles.KeyPrefix));
        var roles = items.Select(i => (V1ClusterRole)ObjectDecoder.DecodeStored(ClusterRoles, i.Json)).ToList();
        var changed = false;
        foreach (var role in roles.Where(r => r.AggregationRule is not null))
        {
            var rules = ClusterRoleAggregation.RulesFor(role, roles);
            if (ClusterRoleAggregation.SameRules(rules, role.Rules))
            {
                continue;
            }

            var json = ClusterRoleAggregation.ToJson(rules);
            await registry.MutateAsync(ClusterRoles, null, role.Metadata.Name, current =>
            {
                current["rules"] = json.DeepClone();
                return current;
            }, null, null, Options, cancellationToken).ConfigureAwait(false);
            changed = true;
        }

        return changed;
    }

    private static async Task ReconcileAsync(
        ObjectRegistry registry, ResourceType type, JsonObject wanted, Func<JsonObject, JsonObject, bool> reconcile, CancellationToken cancellationToken)
    {
        var name = ObjectMetadata.Name(wanted)!;
        if (registry.Get(type, null, name) is not { } stored)
        {
            try
            {
                await registry.CreateAsync(type, null, wanted, Options, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Created concurrently: reconciled below.
                stored = registry.GetRequired(type, null, name);
            }
        }

        // Decide on a copy first, so that an object already as it should be is not written again at every start.
        if (!reconcile(JsonNode.Parse(stored.Json)!.AsObject(), wanted))
        {
            return;
        }

        await registry.MutateAsync(type, null, name, current =>
        {
            reconcile(current, wanted);
            return current;
        }, null, null, Options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds to <paramref name="current"/> what <paramref name="wanted"/> has and it lacks; true if it added anything.</summary>
    private static bool ReconcileRole(JsonObject current, JsonObject wanted)
    {
        if (!AutoUpdates(current))
        {
            return false;
        }

        var changed = ReconcileMetadata(current, wanted);
        if (wanted["aggregationRule"] is JsonObject aggregation)
        {
            // The rules of an aggregated role are the aggregation's: only its selectors are reconciled.
            changed |= AddMissing(current, "aggregationRule", aggregation, "clusterRoleSelectors");
        }
        else
        {
            changed |= AddMissing(current, null, wanted, "rules");
        }

        return changed;
    }

    private static bool ReconcileBinding(JsonObject current, JsonObject wanted) =>
        AutoUpdates(current) && (ReconcileMetadata(current, wanted) | AddMissing(current, null, wanted, "subjects"));

    private static bool AutoUpdates(JsonObject obj) =>
        ObjectMetadata.Of(obj)["annotations"]?[BootstrapPolicy.AutoupdateAnnotation]?.GetValue<string>() == "true";

    /// <summary>Labels and annotations of the policy that the stored object lacks; its own values win.</summary>
    private static bool ReconcileMetadata(JsonObject current, JsonObject wanted)
    {
        var changed = false;
        var metadata = ObjectMetadata.Of(current);
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (wanted["metadata"]![field] is not JsonObject wantedMap)
            {
                continue;
            }

            if (metadata[field] is not JsonObject map)
            {
                metadata[field] = map = new JsonObject();
            }

            foreach (var (key, value) in wantedMap)
            {
                if (!map.ContainsKey(key))
                {
                    map[key] = value!.DeepClone();
                    changed = true;
                }
            }
        }

        return changed;
    }

    /// <summary>Appends the items of <paramref name="wanted"/>'s list <paramref name="field"/> that the stored list (under <paramref name="parent"/>) lacks.</summary>
    private static bool AddMissing(JsonObject current, string? parent, JsonObject wanted, string field)
    {
        var holder = current;
        if (parent is not null)
        {
            if (current[parent] is not JsonObject existing)
            {
                current[parent] = existing = new JsonObject();
            }

            holder = existing;
        }

        if (holder[field] is not JsonArray list)
        {
            holder[field] = list = new JsonArray();
        }

        var changed = false;
        foreach (var item in wanted[field]!.AsArray())
        {
            if (!list.Any(existing => JsonNode.DeepEquals(existing, item)))
            {
                list.Add(item!.DeepClone());
                changed = true;
            }
        }

        return changed;
    }
}
