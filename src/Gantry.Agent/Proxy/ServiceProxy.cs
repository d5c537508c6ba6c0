using Gantry.Agent.Watching;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Proxy;

/// <summary>
/// The node's service proxy: watches Services and EndpointSlices and keeps its nftables table equal to what they say.
/// A change is written after a short debounce (so a burst of endpoint updates costs one transaction) and is in force
/// well within a second; with no change the table is rewritten every resync period anyway. The table is left in place
/// when the agent stops, so service traffic keeps flowing across agent restarts.
/// </summary>
public sealed class ServiceProxy(IKubernetes client, ProxyOptions options, NftablesApplier applier, ILogger<ServiceProxy> logger, TimeProvider time)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly ProxySources _sources = new();

    /// <summary>The cluster's services as this proxy's watch knows them (pods' service variables); null until listed.</summary>
    public IReadOnlyList<V1Service>? KnownServices => _sources.Services();

    /// <summary>The cluster's services and endpoint slices as this proxy's watches know them; null until both are listed.</summary>
    public (IReadOnlyList<V1Service> Services, IReadOnlyList<V1EndpointSlice> Slices)? KnownServicesAndSlices => _sources.Known();

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        WatchAsync(
            "services",
            async ct =>
            {
                var list = await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (version, ct) => client.CoreV1.WatchListServiceForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: version, cancellationToken: ct),
            _sources.ReplaceServices,
            _sources.Apply,
            cancellationToken),
        WatchAsync(
            "endpointslices.discovery.k8s.io",
            async ct =>
            {
                var list = await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
                return (list.Items, list.Metadata.ResourceVersion);
            },
            (version, ct) => client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: version, cancellationToken: ct),
            _sources.ReplaceSlices,
            _sources.Apply,
            cancellationToken),
        SyncLoopAsync(cancellationToken));

    private Task WatchAsync<T>(
        string resource,
        Func<CancellationToken, Task<(IList<T> Items, string Version)>> list,
        Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Action<IList<T>> replace,
        Action<WatchEventType, T> apply,
        CancellationToken cancellationToken) =>
        ListWatch.RunAsync(resource, "the service proxy", list, watch, replace, apply, logger, time, cancellationToken);

    private async Task SyncLoopAsync(CancellationToken cancellationToken)
    {
        string? written = null;
        var wait = options.ResyncPeriod;
        try
        {
            while (true)
            {
                await WaitForChangeAsync(wait, cancellationToken).ConfigureAwait(false);
                await Task.Delay(options.Debounce, time, cancellationToken).ConfigureAwait(false);
                if (_sources.Snapshot() is not var (services, slices))
                {
                    continue;
                }

                var started = time.GetTimestamp();
                var ruleset = ProxyRules.Build(services, slices, options);
                try
                {
                    await applier.ApplyAsync(ruleset, cancellationToken).ConfigureAwait(false);
                    wait = options.ResyncPeriod;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ProxyLog.SyncFailed(logger, ex, options.TableName, RetryDelay.TotalSeconds);
                    written = null;
                    wait = RetryDelay;
                    continue;
                }

                var milliseconds = Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1);
                var text = ruleset.Text;
                if (text != written)
                {
                    ProxyLog.Synced(logger, options.TableName, ruleset.ServicePorts, ruleset.Endpoints, milliseconds);
                    written = text;
                }
                else
                {
                    ProxyLog.Resynced(logger, options.TableName, milliseconds);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Returns when the sources change or <paramref name="timeout"/> passes, whichever comes first.</summary>
    private async Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changed = _sources.Changes.WaitToReadAsync(either.Token).AsTask();
        var elapsed = Task.Delay(timeout, time, either.Token);
        await Task.WhenAny(changed, elapsed).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
