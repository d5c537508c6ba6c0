using Gantry.Agent.Network;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Cleanup;

/// <summary>
/// Removes the pod network namespaces that no agent on this host can ever use again: named with the pod network's
/// prefix, claimed by no registered agent state directory that still exists, empty of processes, and older than a
/// minute (a sandbox is recorded just after its namespace is made). They are what a cluster leaves when its state
/// directory is deleted without <c>gantry reset</c>, and each holds a port of the node bridge, of which Linux allows
/// 1,024: enough of them and no pod can start (<c>exchange full</c>). Runs at every agent start.
/// </summary>
public sealed class StaleSandboxSweep(AgentRegistry registry, ILogger logger, TimeProvider? time = null)
{
    private static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The namespace name prefix swept; that of every agent's pod network.</summary>
    public string Prefix { get; init; } = new PodNetworkOptions { StateDirectory = "/" }.NamespacePrefix;

    /// <summary>Removes the stale namespaces, and forgets registered state directories that are gone; returns how many namespaces went.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // A state directory deleted without a reset vouches for nothing any more.
        foreach (var deleted in registry.StateDirectories().Where(d => !Directory.Exists(d)))
        {
            registry.Remove(deleted);
        }

        if (!Directory.Exists(NetworkNamespaces.Directory))
        {
            return 0;
        }

        var candidates = Directory.EnumerateFiles(NetworkNamespaces.Directory, Prefix + "*")
            .Where(p => _time.GetUtcNow().UtcDateTime - File.GetLastWriteTimeUtc(p) >= MinimumAge)
            .ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        var claimed = await ClaimedAsync(cancellationToken);
        var inUse = NamespaceInodes.OfProcesses();
        var removed = 0;
        foreach (var path in candidates)
        {
            var name = Path.GetFileName(path);
            if (claimed.Contains(name) || NamespaceInodes.Of(path) is not { } inode || inUse.Contains(inode))
            {
                continue;
            }

            try
            {
                await NetworkNamespaces.DeleteAsync(name, cancellationToken);
                removed++;
            }
            catch (NetworkCommandException ex)
            {
                logger.LogWarning(ex, "Could not remove the stale pod network namespace {Namespace}", name);
            }
        }

        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} pod network namespaces no agent on this host claims", removed);
        }

        return removed;
    }

    private async Task<HashSet<string>> ClaimedAsync(CancellationToken cancellationToken)
    {
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in registry.StateDirectories().Where(Directory.Exists))
        {
            claimed.UnionWith(await SandboxClaims.NamespacesAsync(
                new PodNetworkOptions { StateDirectory = Path.Combine(state, AgentLayout.Network), NamespacePrefix = Prefix }, cancellationToken));
        }

        return claimed;
    }
}
