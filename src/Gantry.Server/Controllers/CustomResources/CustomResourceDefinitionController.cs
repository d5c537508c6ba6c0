using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Storage;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers.CustomResources;

/// <summary>
/// What kube's apiextensions controllers do for a CustomResourceDefinition, in one loop: the naming controller accepts
/// its names unless another definition of the group holds them, the establishing controller marks it
/// <c>Established</c> (from then on its resources are served), its storage version is recorded in
/// <c>status.storedVersions</c>, and the finalizer controller, once it is deleted, deletes every one of its resources
/// before it releases the definition's <c>customresourcecleanup.apiextensions.k8s.io</c> finalizer.
/// </summary>
public sealed class CustomResourceDefinitionController : BackgroundService
{
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    private const int Workers = 1;
    private static readonly TimeSpan CleanupRetry = TimeSpan.FromSeconds(1);

    private readonly SharedInformers _informers;
    private readonly Informer<V1CustomResourceDefinition> _definitions;
    private readonly InProcessClient _client;
    private static readonly ResourceType Definitions = ResourceCatalog.Get("apiextensions.k8s.io", "customresourcedefinitions");

    private readonly TimeProvider _time;
    private readonly ILogger<CustomResourceDefinitionController> _logger;
    private readonly WorkQueue<string> _queue;

    public CustomResourceDefinitionController(
        SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<CustomResourceDefinitionController> logger)
    {
        _informers = informers;
        _definitions = informers.For<V1CustomResourceDefinition>();
        _client = client;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _definitions.OnChange((old, current) =>
        {
            _queue.Add((current ?? old)!.Metadata.Name);
            // A definition's names free or take names of the others of its group.
            foreach (var other in _definitions.List().Where(d => d.Spec?.Group == (current ?? old)!.Spec?.Group))
            {
                _queue.Add(other.Metadata.Name);
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (name, ex) => _logger.LogWarning(ex, "Syncing CustomResourceDefinition {Name} failed", name), stoppingToken);

    internal async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        if (_definitions.Get(null, name) is not { } definition)
        {
            return;
        }

        if (definition.Metadata.DeletionTimestamp is not null)
        {
            await CleanUpAsync(definition, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!(definition.Metadata.Finalizers?.Contains(CleanupFinalizer) ?? false))
        {
            await _client.MutateAsync<V1CustomResourceDefinition>(null, name, d =>
            {
                d.Metadata.Finalizers ??= [];
                if (!d.Metadata.Finalizers.Contains(CleanupFinalizer))
                {
                    d.Metadata.Finalizers.Add(CleanupFinalizer);
                }
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var conflict = FindNameConflict(definition);
        var wasEstablished = DefinitionConditions.IsTrue(definition, DefinitionConditions.Established);
        await _client.MutateAsync<V1CustomResourceDefinition>(null, name, d =>
            DefinitionStatus.Accept(d, conflict, Now()), cancellationToken, subresource: "status").ConfigureAwait(false);
        if (!wasEstablished && conflict is null)
        {
            _logger.LogInformation("CustomResourceDefinition {Name} established", name);
        }
    }

    /// <summary>
    /// The group's definitions as stored now, this loop's own writes included (the informer may not have them yet, and
    /// two definitions judged against a stale view could both take a kind); only the group's are decoded, found by the
    /// name every definition has (<c>plural.group</c>).
    /// </summary>
    private IEnumerable<V1CustomResourceDefinition> StoredOfGroup(string group) =>
        _client.Registry.Cache.List(Definitions.KeyPrefix, new WatchFilter(Definitions.KeyPrefix)).Items
            .Where(o => o.Key.EndsWith("." + group, StringComparison.Ordinal))
            .Select(o => (V1CustomResourceDefinition)ObjectDecoder.DecodeStored(Definitions, o.Json));

    /// <summary>Why the definition's names may not be accepted: another definition of its group accepted one of them first.</summary>
    private NameConflict? FindNameConflict(V1CustomResourceDefinition definition)
    {
        var names = definition.Spec.Names;
        foreach (var other in StoredOfGroup(definition.Spec.Group))
        {
            if (other.Metadata.Name == definition.Metadata.Name || other.Spec?.Group != definition.Spec.Group
                || other.Status?.AcceptedNames is not { } taken)
            {
                continue;
            }

            var takenNames = new[] { taken.Plural, taken.Singular }.Concat(taken.ShortNames ?? []).Where(n => !string.IsNullOrEmpty(n)).ToHashSet();
            if (takenNames.Contains(names.Plural))
            {
                return new NameConflict("PluralConflict", $"\"{names.Plural}\" is already in use");
            }

            if (names.Singular is { Length: > 0 } singular && takenNames.Contains(singular))
            {
                return new NameConflict("SingularConflict", $"\"{singular}\" is already in use");
            }

            if (names.ShortNames?.FirstOrDefault(takenNames.Contains) is { } shortName)
            {
                return new NameConflict("ShortNamesConflict", $"\"{shortName}\" is already in use");
            }

            if (taken.Kind == names.Kind)
            {
                return new NameConflict("KindConflict", $"\"{names.Kind}\" is already in use");
            }

            if (taken.ListKind == names.ListKind)
            {
                return new NameConflict("ListKindConflict", $"\"{names.ListKind}\" is already in use");
            }
        }

        return null;
    }

    /// <summary>
    /// Deletes the definition's resources; once none is left, releases the finalizer and with it the definition. While
    /// resources remain (some wait for finalizers of their own) it looks again a second later.
    /// </summary>
    private async Task CleanUpAsync(V1CustomResourceDefinition definition, CancellationToken cancellationToken)
    {
        var name = definition.Metadata.Name;
        if (!(definition.Metadata.Finalizers?.Contains(CleanupFinalizer) ?? false))
        {
            return;
        }

        if (!DefinitionStatus.IsTerminating(definition))
        {
            await _client.MutateAsync<V1CustomResourceDefinition>(null, name, d =>
                DefinitionStatus.Terminate(d, Now()), cancellationToken, subresource: "status").ConfigureAwait(false);
        }

        var remaining = 0;
        if (CustomResourceTypes.StoredTypeOf(definition) is { } type)
        {
            foreach (var item in _client.Registry.Cache.List(type.KeyPrefix, new WatchFilter(type.KeyPrefix)).Items)
            {
                remaining++;
                var obj = JsonNode.Parse(item.Json)!.AsObject();
                if (ObjectMetadata.IsDeleting(obj))
                {
                    continue;
                }

                try
                {
                    await _client.Registry.DeleteAsync(type, ObjectMetadata.Namespace(obj), ObjectMetadata.Name(obj)!, new DeleteRequest(), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (ApiException ex) when (ex.Code is 404 or 409)
                {
                }
            }
        }

        if (remaining > 0)
        {
            _queue.AddAfter(name, CleanupRetry);
            return;
        }

        await _client.MutateAsync<V1CustomResourceDefinition>(null, name, d => d.Metadata.Finalizers?.Remove(CleanupFinalizer), cancellationToken)
            .ConfigureAwait(false);
        _logger.LogInformation("CustomResourceDefinition {Name} deleted with its resources", name);
    }

    /// <summary>Now, to the second, as kube's metav1.Time keeps a condition's time.</summary>
    private DateTime Now()
    {
        var now = _time.GetUtcNow().UtcTicks;
        return new DateTime(now - now % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    /// <summary>Why a definition's names are not accepted, as kube's naming controller words it.</summary>
    public sealed record NameConflict(string Reason, string Message);
}
