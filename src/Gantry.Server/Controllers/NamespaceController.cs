using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Empties a namespace that is being deleted, then releases its <c>kubernetes</c> finalizer so the
/// namespace itself goes, as Kubernetes' namespace controller does. Content that takes time to go
/// (pods in their grace period) is waited for.
/// </summary>
public sealed class NamespaceController(ObjectRegistry registry, CustomResourceTypes customTypes, ILogger<NamespaceController> logger, TimeProvider time)
    : BackgroundService
{
    private static readonly ResourceType Namespaces = ResourceCatalog.Get("", "namespaces");
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var terminating = new WatchFilter(Namespaces.KeyPrefix, o => o.Fields.GetValueOrDefault("status.phase") == "Terminating");
        var events = registry.Cache.Watch(Namespaces.KeyPrefix, terminating, null, false, false, stoppingToken);
        var running = new Dictionary<string, Task>();
        try
        {
            await foreach (var e in events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (e.Type is WatchEventType.Added or WatchEventType.Modified && e.Object is { } obj)
                {
                    var name = JsonNode.Parse(obj.Json)!["metadata"]!["name"]!.GetValue<string>();
                    if (!running.TryGetValue(name, out var task) || task.IsCompleted)
                    {
                        running[name] = FinalizeAsync(name, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FinalizeAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            while (await DeleteContentAsync(ns, cancellationToken).ConfigureAwait(false) > 0)
            {
                await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
            }

            await registry.MutateAsync(Namespaces, null, ns, RemoveSpecFinalizers, null, null, WriteOptions.Default, cancellationToken)
                .ConfigureAwait(false);
            logger.LogInformation("Namespace {Namespace} emptied and deleted", ns);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Deleting the content of namespace {Namespace} failed", ns);
        }
    }

    /// <summary>Deletes everything in the namespace; returns how many objects are still there.</summary>
    private async Task<int> DeleteContentAsync(string ns, CancellationToken cancellationToken)
    {
        var remaining = 0;
        foreach (var type in NamespacedTypes())
        {
            var (items, _, _) = registry.Cache.List(type.KeyPrefix, new WatchFilter(type.NamespacePrefix(ns)));
            foreach (var item in items)
            {
                remaining++;
                var name = JsonNode.Parse(item.Json)!["metadata"]!["name"]!.GetValue<string>();
                try
                {
                    await registry.DeleteAsync(type, ns, name, new DeleteRequest(PropagationPolicy: "Background"), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (ApiException ex) when (ex.Code is 404 or 409)
                {
                }
            }
        }

        if (remaining == 0)
        {
            return 0;
        }

        return await ReportRemainingAsync(ns, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes what is left and what holds it into the namespace's conditions (when they change), as kube's namespace
    /// deleter does; returns how many objects are left.
    /// </summary>
    private async Task<int> ReportRemainingAsync(string ns, CancellationToken cancellationToken)
    {
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        var finalizers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var type in NamespacedTypes())
        {
            var items = registry.Cache.List(type.KeyPrefix, new WatchFilter(type.NamespacePrefix(ns))).Items;
            if (items.Count == 0)
            {
                continue;
            }

            remaining[$"{type.Plural}.{type.Group}"] = items.Count;
            foreach (var item in items)
            {
                foreach (var finalizer in ObjectMetadata.Finalizers(JsonNode.Parse(item.Json)!.AsObject()))
                {
                    finalizers[finalizer] = finalizers.GetValueOrDefault(finalizer) + 1;
                }
            }
        }

        if (remaining.Count > 0)
        {
            await registry.MutateAsync(Namespaces, null, ns, current =>
            {
                var status = current["status"] as JsonObject ?? [];
                status["conditions"] = NamespaceDeletionConditions.For(remaining, finalizers, status["conditions"] as JsonArray, time.GetUtcNow());
                current["status"] = status;
                return current;
            }, null, "status", WriteOptions.Default, cancellationToken).ConfigureAwait(false);
        }

        return remaining.Values.Sum();
    }

    /// <summary>Every namespaced type, the custom ones included, as kube's namespace deleter finds them by discovery.</summary>
    private IEnumerable<ResourceType> NamespacedTypes() => ResourceCatalog.Types.Concat(customTypes.Current.StoredTypes).Where(t => t.Namespaced);

    private static JsonObject RemoveSpecFinalizers(JsonObject ns)
    {
        if (ns["spec"] is JsonObject spec)
        {
            spec.Remove("finalizers");
        }

        return ns;
    }
}
