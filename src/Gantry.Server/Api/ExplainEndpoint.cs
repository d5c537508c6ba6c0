using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Scheduling;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// <c>GET /gantry/v1/namespaces/{ns}/pods/{name}/explain</c>: where the scheduler would put the pod
/// now and why, node by node — the filter that refused each node with its reasons, and each score of
/// the others; for a pod of a gang, also its gang and whether the gang would be placed as a whole. What
/// <c>gantry explain pod</c> prints.
/// </summary>
public sealed class ExplainEndpoint(ObjectRegistry registry, PodScheduler scheduler)
{
    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");

    public static bool Matches(string[] segments) => segments is ["gantry", "v1", "namespaces", _, "pods", _, "explain"];

    public async Task HandleAsync(HttpContext context, string[] segments)
    {
        var (ns, name) = (segments[3], segments[5]);
        var cached = registry.GetRequired(Pods, ns, name);
        var pod = KubernetesJson.Deserialize<V1Pod>(new MemoryStream(cached.Json, writable: false));
        var decision = scheduler.ExplainNow(pod);
        var nodes = new JsonArray();
        foreach (var verdict in decision.Verdicts.OrderByDescending(v => v.RefusedBy is null).ThenByDescending(v => v.Total).ThenBy(v => v.Node, StringComparer.Ordinal))
        {
            var scores = new JsonObject();
            foreach (var (plugin, score) in verdict.Scores)
            {
                scores[plugin] = score;
            }

            nodes.Add(new JsonObject
            {
                ["node"] = verdict.Node,
                ["feasible"] = verdict.RefusedBy is null,
                ["refusedBy"] = verdict.RefusedBy,
                ["reasons"] = new JsonArray([.. verdict.Reasons.Select(r => (JsonNode?)JsonValue.Create(r))]),
                ["scores"] = scores,
                ["total"] = verdict.Total,
            });
        }

        // A gang's pod goes where its gang's plan puts it, or nowhere, whatever the nodes say of it alone.
        var gang = scheduler.ExplainGangNow(pod);
        var choice = gang is null ? decision.Node : gang.Node;
        await HttpResponses.WriteJsonAsync(context, 200, new JsonObject
        {
            ["namespace"] = ns,
            ["pod"] = name,
            ["boundTo"] = pod.Spec.NodeName,
            ["wouldChoose"] = choice,
            ["message"] = choice is null ? gang?.Refusal ?? decision.Message : null,
            ["gang"] = gang is null ? null : new JsonObject
            {
                ["name"] = gang.Name,
                ["size"] = gang.Size,
                ["present"] = gang.Present,
                ["bound"] = gang.Bound,
            },
            ["nodes"] = nodes,
        }).ConfigureAwait(false);
    }
}
