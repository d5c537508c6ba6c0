using System.Globalization;

namespace Gantry.Agent.Proxy;

/// <summary>
/// Collects the commands of one table and hands them out in the order nft needs: the table, its chains, its sets and
/// maps, then rules (which may jump to any chain or name any set) and last map elements (whose verdicts name chains).
/// </summary>
internal sealed class TableWriter(string name)
{
    private readonly List<string> _table = [];
    private readonly List<string> _chains = [];
    private readonly HashSet<string> _chainNames = new(StringComparer.Ordinal);
    private readonly List<string> _setsAndMaps = [];
    private readonly List<string> _maps = [];
    private readonly Dictionary<string, string> _affinitySets = new(StringComparer.Ordinal);
    private readonly List<string> _rules = [];
    private readonly List<string> _elements = [];

    /// <summary>IPv4 only: services are single-stack IPv4 in Gantry.</summary>
    public const string Family = "ip";

    public string Name => name;

    private string Prefix => $"{Family} {name}";

    public void Add(string command) => _table.Add(command);

    public void BaseChain(string chain, string type, string hook, string priority)
    {
        _chainNames.Add(chain);
        _chains.Add($"add chain {Prefix} {chain} {{ type {type} hook {hook} priority {priority}; policy accept; }}");
    }

    /// <summary>Declares a regular chain once, however many endpoints or policies lead to it.</summary>
    public void Chain(string chain)
    {
        if (_chainNames.Add(chain))
        {
            _chains.Add($"add chain {Prefix} {chain}");
        }
    }

    public void Map(string map, string type, string comment)
    {
        _maps.Add(map);
        _setsAndMaps.Add($"add map {Prefix} {map} {{ type {type}; comment \"{comment}\"; }}");
    }

    /// <summary>
    /// A set of client addresses that forget a client <paramref name="timeoutSeconds"/> after its last new connection.
    /// "dynamic" is declared up front because the kernel adds it anyway once a rule updates the set, and a later
    /// declaration without it would then conflict.
    /// </summary>
    public void AffinitySet(string set, int timeoutSeconds)
    {
        var declaration = $"add set {Prefix} {set} {{ type ipv4_addr; flags dynamic,timeout; timeout {timeoutSeconds.ToString(CultureInfo.InvariantCulture)}s; }}";
        if (_affinitySets.TryAdd(set, declaration))
        {
            _setsAndMaps.Add(declaration);
        }
    }

    public void Rule(string chain, string rule) => _rules.Add($"add rule {Prefix} {chain} {rule}");

    public void Element(string map, string element) => _elements.Add($"add element {Prefix} {map} {{ {element} }}");

    public NftRuleset ToRuleset(int servicePorts, int endpoints) => new(
        name,
        [.. _table, .. _chains, .. _setsAndMaps, .. _rules, .. _elements],
        _maps.ToList(),
        _chainNames.Where(ChainNames.IsServiceChain).ToHashSet(StringComparer.Ordinal),
        new Dictionary<string, string>(_affinitySets, StringComparer.Ordinal),
        servicePorts,
        endpoints);
}
