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
/// the others. What <c>gantry explain pod</c> prints.
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

        await HttpResponses.WriteJsonAsync(context, 200, new JsonObject
        {
            ["namespace"] = ns,
            ["pod"] = name,
            ["boundTo"] = pod.Spec.NodeName,
            ["wouldChoose"] = decision.Node,
            ["message"] = decision.Node is null ? decision.Message : null,
            ["nodes"] = nodes,
        }).ConfigureAwait(false);
    }
}
