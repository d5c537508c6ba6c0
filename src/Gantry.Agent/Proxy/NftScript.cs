namespace Gantry.Agent.Proxy;

/// <summary>
/// The one <c>nft -f</c> transaction that puts a ruleset in force: the kernel applies all of it or none, so packets
/// never see a half-written table.
/// </summary>
public static class NftScript
{
    /// <summary>
    /// Without a <paramref name="previous"/> ruleset known to be in force (first sync, or the last one failed) the table is
    /// deleted and written anew. Otherwise it is emptied in place (rules and map elements), chains and affinity sets
    /// that are gone or changed are deleted, and the rest is added back: affinity sets keep the clients they remember,
    /// as kube-proxy's do.
    /// </summary>
    public static string Render(NftRuleset current, NftRuleset? previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        var table = $"ip {current.Table}";
        var lines = new List<string> { $"add table {table}" };
        if (previous is null || previous.Table != current.Table)
        {
            lines.Add($"delete table {table}");
        }
        else
        {
            lines.Add($"flush table {table}");
            lines.AddRange(previous.Maps.Select(m => $"flush map {table} {m}"));
            lines.AddRange(previous.ServiceChains.Where(c => !current.ServiceChains.Contains(c)).Order(StringComparer.Ordinal)
                .Select(c => $"delete chain {table} {c}"));
            lines.AddRange(previous.AffinitySets
                .Where(s => !current.AffinitySets.TryGetValue(s.Key, out var declaration) || declaration != s.Value)
                .Select(s => s.Key)
                .Order(StringComparer.Ordinal)
                .Select(s => $"delete set {table} {s}"));
        }

        lines.AddRange(current.Commands);
        return string.Join('\n', lines) + "\n";
    }
}
