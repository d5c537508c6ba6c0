namespace Gantry.Agent.Proxy;

/// <summary>
/// Everything the proxy wants in its table, as <c>nft</c> commands in dependency order (table, chains, sets and maps,
/// rules, map elements), plus what a later sync needs to know to replace it in place.
/// </summary>
/// <param name="Commands">The table's whole content, each an <c>nft</c> command without its newline.</param>
/// <param name="Maps">Maps a later sync empties before filling them again.</param>
/// <param name="ServiceChains">Per-service and per-endpoint chains; those a later ruleset lacks are deleted.</param>
/// <param name="AffinitySets">Affinity sets by name, with the command that declares each; they keep their entries across syncs.</param>
public sealed record NftRuleset(
    string Table,
    IReadOnlyList<string> Commands,
    IReadOnlyList<string> Maps,
    IReadOnlySet<string> ServiceChains,
    IReadOnlyDictionary<string, string> AffinitySets,
    int ServicePorts,
    int Endpoints)
{
    /// <summary>The commands as one file.</summary>
    public string Text => string.Join('\n', Commands) + "\n";
}
