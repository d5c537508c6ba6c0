namespace Gantry.Agent.Network;

/// <summary>
/// The network namespaces an agent's network state vouches for: those of its pods' sandboxes (made for the pod or
/// taken from the pool) and those of its pool, ready or half made. Read from disk, so it works for a stopped agent
/// whose pods still run as well as for a running one.
/// </summary>
internal static class SandboxClaims
{
    /// <param name="options">The agent's network options; only its state directory and namespace prefix matter.</param>
    public static async Task<IReadOnlySet<string>> NamespacesAsync(PodNetworkOptions options, CancellationToken cancellationToken)
    {
        var prefix = options.NamespacePrefix;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in new[] { options.SandboxDirectory, options.PoolDirectory })
        {
            var records = new SandboxRecords(directory);
            foreach (var key in records.Keys())
            {
                AddDerived(names, prefix, key);
                try
                {
                    if (await records.ReadAsync(key, cancellationToken) is { } record)
                    {
                        names.Add(record.NetworkNamespace);
                    }
                }
                catch (InvalidDataException)
                {
                    // A damaged record still claims the name derived from its key, which is all a pool sandbox has.
                }
            }

            if (Directory.Exists(directory))
            {
                foreach (var pending in Directory.EnumerateFiles(directory, "*.pending"))
                {
                    AddDerived(names, prefix, Path.GetFileNameWithoutExtension(pending));
                }
            }
        }

        return names;
    }

    private static void AddDerived(HashSet<string> names, string prefix, string key)
    {
        if (Guid.TryParse(key, out _))
        {
            names.Add(PodNetwork.NamespaceName(prefix, key));
        }
    }
}
