using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// kube's clusterrole-aggregation controller: a ClusterRole with an <c>aggregationRule</c> holds the rules of the
/// ClusterRoles its selectors match (<see cref="ClusterRoleAggregation"/>), so that a role labelled
/// <c>rbac.authorization.k8s.io/aggregate-to-view: "true"</c> adds its rules to <c>view</c> (and through it to
/// <c>edit</c> and <c>admin</c>). Any ClusterRole change looks at every aggregated role again, as kube's does.
/// </summary>
public sealed class ClusterRoleAggregationController : BackgroundService
{
    private static readonly ResourceType ClusterRoles = ResourceCatalog.Get("rbac.authorization.k8s.io", "clusterroles");

    private static readonly WriteOptions Options = new(FieldManager: "clusterrole-aggregation-controller");

    private readonly SharedInformers _informers;
    private readonly Informer<V1ClusterRole> _roles;
    private readonly InProcessClient _client;
    private readonly ILogger<ClusterRoleAggregationController> _logger;
    private readonly WorkQueue<string> _queue;

    public ClusterRoleAggregationController(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<ClusterRoleAggregationController> logger)
    {
        _informers = informers;
        _roles = informers.For<V1ClusterRole>();
        _client = client;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _roles.OnChange((_, _) =>
        {
            foreach (var role in _roles.List(r => r.AggregationRule is not null))
            {
                _queue.Add(role.Metadata.Name);
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, 1, SyncAsync, (name, ex) => _logger.LogWarning(ex, "Aggregating the rules of ClusterRole {Name} failed", name), stoppingToken);

    private async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        if (_roles.Get(null, name) is not { AggregationRule: not null } role)
        {
            return;
        }

        var rules = ClusterRoleAggregation.RulesFor(role, _roles.List());
        if (ClusterRoleAggregation.SameRules(rules, role.Rules))
        {
            return;
        }

        var json = ClusterRoleAggregation.ToJson(rules);
        try
        {
            await _client.Registry.MutateAsync(ClusterRoles, null, name, current =>
            {
                current["rules"] = json.DeepClone();
                return current;
            }, null, null, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // Deleted meanwhile: nothing to aggregate into.
        }
    }
}
