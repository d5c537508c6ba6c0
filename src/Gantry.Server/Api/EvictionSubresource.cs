using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Core.Selectors;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Controllers;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// <c>pods/{name}/eviction</c>: deletes a pod unless that would break its PodDisruptionBudget, as kube's eviction REST
/// (pkg/registry/core/pod/storage/eviction.go) decides. A pod that is pending, finished or already being deleted has
/// disrupted nothing and is deleted straight away. Otherwise the one budget selecting the pod is spent
/// (<see cref="EvictionBudget"/>) before the pod is deleted; a pod with no budget is just deleted, one with several is
/// refused. The pod is marked with a <c>DisruptionTarget</c> condition before its deletion, as kube's is.
/// </summary>
public sealed class EvictionSubresource(ObjectRegistry registry, TimeProvider time)
{
    /// <summary>kube's <c>EvictionsRetry</c> steps: how often a write that lost a race is tried again.</summary>
    private const int ConflictRetries = 20;

    private static readonly ResourceType Pods = ResourceCatalog.Get("", "pods");
    private static readonly ResourceType Budgets = ResourceCatalog.Get("policy", "poddisruptionbudgets");

    public async Task HandleAsync(HttpContext context, ResourcePath path)
    {
        var eviction = await RequestBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (eviction["metadata"]?["name"]?.GetValue<string>() != path.Name)
        {
            throw ApiException.BadRequest("name in URL does not match name in Eviction object");
        }

        var request = QueryOptions.Delete(context, eviction["deleteOptions"] as JsonObject);
        // The webhooks see the eviction created, not the pod's condition and deletion it makes (kube's eviction REST
        // writes those past admission); a patch of the Eviction is not taken.
        eviction["apiVersion"] ??= "policy/v1";
        eviction["kind"] ??= "Eviction";
        var warnings = new List<string>();
        await registry.AdmitSubresourceAsync(
            AdmissionAttributes.ForSubresource(AdmissionOperations.Create, Pods, path.Namespace, path.Name!, "eviction", eviction, null, request.DryRun, request.User),
            warnings, context.RequestAborted).ConfigureAwait(false);
        var status = await EvictAsync(path.Namespace!, path.Name!, request with { WebhooksAdmitted = true }, context.RequestAborted).ConfigureAwait(false);
        await HttpResponses.WriteJsonAsync(context, status["code"]!.GetValue<int>(), status, warnings).ConfigureAwait(false);
    }

    /// <summary>Evicts the pod; returns the Status to answer with (success, or the several-budgets failure).</summary>
    /// <exception cref="ApiException">404 for a missing pod, 429 when a budget refuses, 409 when a precondition fails.</exception>
    public async Task<JsonObject> EvictAsync(string ns, string name, DeleteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pinnedByCaller = request.PreconditionResourceVersion is not null;
        JsonObject pod;
        for (var attempt = 1; ; attempt++)
        {
            pod = JsonNode.Parse(registry.GetRequired(Pods, ns, name).Json)!.AsObject();
            if (!CanIgnoreBudget(pod))
            {
                break;
            }

            // Pinned to the version read, so that a pod turning running and ready meanwhile is not deleted unguarded.
            var options = ShouldPinVersion(pod) && !pinnedByCaller ? request with { PreconditionResourceVersion = ObjectMetadata.ResourceVersion(pod) } : request;
            try
            {
                await MarkAndDeleteAsync(ns, name, options, cancellationToken).ConfigureAwait(false);
                return Success();
            }
            catch (ApiException ex) when (ex.Code == 409 && !pinnedByCaller && attempt < ConflictRetries)
            {
            }
        }

        var budgets = BudgetsSelecting(ns, pod);
        if (budgets.Count > 1)
        {
            return Failure(500, "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }

        var pinToUnhealthy = false;
        if (budgets.Count == 1)
        {
            var pdb = budgets[0];
            // An unready pod counts as no healthy one; deleting it takes nothing from a budget that is met, or that
            // lets unhealthy pods go whatever the count.
            var status = pdb.Status ?? new V1PodDisruptionBudgetStatus();
            pinToUnhealthy = !PodState.IsReady(KubernetesJson.Deserialize<V1Pod>(pod.ToJsonString()))
                && (pdb.Spec?.UnhealthyPodEvictionPolicy == PodDisruptionBudgetRules.AlwaysAllow
                    || (status.CurrentHealthy >= status.DesiredHealthy && status.DesiredHealthy > 0));
            if (!pinToUnhealthy)
            {
                await SpendAsync(ns, name, pdb, request.DryRun, cancellationToken).ConfigureAwait(false);
            }
        }

        var deletion = pinToUnhealthy ? request with { PreconditionResourceVersion = ObjectMetadata.ResourceVersion(pod) } : request;
        try
        {
            await MarkAndDeleteAsync(ns, name, deletion, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 409 && pinToUnhealthy && !pinnedByCaller)
        {
            // The pod changed since it was judged unhealthy: it may be ready now, so let the client ask again.
            throw EvictionBudget.StillProcessing(budgets[0].Metadata.Name);
        }

        return Success();
    }

    /// <summary>Decrements the budget with compare-and-swap, re-reading it after each lost race.</summary>
    private async Task SpendAsync(string ns, string podName, V1PodDisruptionBudget pdb, bool dryRun, CancellationToken cancellationToken)
    {
        var name = pdb.Metadata.Name;
        for (var attempt = 1; attempt <= ConflictRetries; attempt++)
        {
            if (attempt > 1)
            {
                pdb = Read(registry.GetRequired(Budgets, ns, name));
            }

            EvictionBudget.CheckAndDecrement(pdb, podName, time.GetUtcNow(), dryRun);
            if (dryRun)
            {
                return;
            }

            var json = JsonNode.Parse(KubernetesJson.Serialize(pdb))!.AsObject();
            json["apiVersion"] = Budgets.ApiVersion;
            json["kind"] = Budgets.Kind;
            try
            {
                await registry.UpdateAsync(Budgets, ns, name, json, "status", new WriteOptions(), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
            }
        }

        throw ApiException.Timeout($"couldn't update PodDisruptionBudget \"{name}\" due to conflicts", 10);
    }

    /// <summary>
    /// kube's <c>addConditionAndDeletePod</c>: the pod's status gets <c>DisruptionTarget</c> (unless a dry run), under the
    /// request's preconditions, and the pod is then deleted under them, its version moved past the condition's write.
    /// </summary>
    private async Task MarkAndDeleteAsync(string ns, string name, DeleteRequest request, CancellationToken cancellationToken)
    {
        if (!request.DryRun)
        {
            var now = ObjectMetadata.Timestamp(time.GetUtcNow());
            var marked = await registry.MutateAsync(Pods, ns, name, pod =>
            {
                if (request.PreconditionUid is { } uid)
                {
                    ObjectMetadata.Of(pod)["uid"] = uid;
                }

                return WithDisruptionTarget(pod, now);
            }, request.PreconditionResourceVersion, "status", new WriteOptions { WebhooksAdmitted = request.WebhooksAdmitted }, cancellationToken).ConfigureAwait(false);
            if (request.PreconditionResourceVersion is not null)
            {
                request = request with { PreconditionResourceVersion = ObjectMetadata.ResourceVersion(marked) };
            }
        }

        await registry.DeleteAsync(Pods, ns, name, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>podutil's <c>UpdatePodCondition</c> with the eviction API's condition; the transition time moves only with the status.</summary>
    private static JsonObject WithDisruptionTarget(JsonObject pod, string now)
    {
        var status = pod["status"] as JsonObject ?? [];
        pod["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "DisruptionTarget");
        var transition = existing?["status"]?.GetValue<string>() == "True" ? existing["lastTransitionTime"]?.DeepClone() : now;
        var condition = new JsonObject
        {
            ["type"] = "DisruptionTarget",
            ["status"] = "True",
            ["lastTransitionTime"] = transition,
            ["reason"] = "EvictionByEvictionAPI",
            ["message"] = "Eviction API: evicting",
        };
        if (existing is null)
        {
            conditions.Add(condition);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }

        return pod;
    }

    /// <summary><c>getPodDisruptionBudgets</c>: the budgets of the pod's namespace whose (valid) selector matches it.</summary>
    private List<V1PodDisruptionBudget> BudgetsSelecting(string ns, JsonObject pod)
    {
        var labels = KubernetesJson.Deserialize<V1ObjectMeta>(pod["metadata"]!.ToJsonString());
        var (items, _, _) = registry.Cache.List(Budgets.KeyPrefix, new WatchFilter(Budgets.NamespacePrefix(ns)));
        return items.Select(Read).Where(pdb => Selects(pdb, labels)).ToList();
    }

    private static bool Selects(V1PodDisruptionBudget pdb, V1ObjectMeta pod)
    {
        try
        {
            return LabelSelector.FromModel(pdb.Spec?.Selector).Matches(pod);
        }
        catch (SelectorParseException)
        {
            return false;
        }
    }

    /// <summary><c>canIgnorePDB</c>: a pod not yet running, finished, or already being deleted disrupts nothing more.</summary>
    private static bool CanIgnoreBudget(JsonObject pod) =>
        Phase(pod) is "Pending" or "Succeeded" or "Failed" || ObjectMetadata.IsDeleting(pod);

    /// <summary><c>shouldEnforceResourceVersion</c>: only a pod that could still become ready needs its version pinned.</summary>
    private static bool ShouldPinVersion(JsonObject pod) =>
        Phase(pod) is not ("Succeeded" or "Failed") && !ObjectMetadata.IsDeleting(pod);

    private static string? Phase(JsonObject pod) => pod["status"]?["phase"]?.GetValue<string>();

    private static V1PodDisruptionBudget Read(CachedObject cached) => KubernetesJson.Deserialize<V1PodDisruptionBudget>(new MemoryStream(cached.Json, writable: false));

    private static JsonObject Success() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["code"] = 201,
    };

    private static JsonObject Failure(int code, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["code"] = code,
    };
}
