using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Gantry.Agent.Network;

/// <summary>How a node's pod network is laid out. The defaults are a single node's: gantry0 with 10.88.0.0/24.</summary>
public sealed partial record PodNetworkOptions
{
    /// <summary>
    /// Where the network keeps what must outlast the agent: host-local's IP allocations and the result of each
    /// sandbox's CNI ADD. Belongs under the agent's state directory, e.g. <c>/var/lib/gantry/network</c>.
    /// </summary>
    public required string StateDirectory { get; init; }

    /// <summary>This node's share of the cluster's pod addresses; pods get addresses from it, the bridge its first one.</summary>
    public IPNetwork PodCidr { get; init; } = new(IPAddress.Parse("10.88.0.0"), 24);

    /// <summary>
    /// The whole cluster's pod addresses, every node's pod CIDR among them: traffic to it keeps the pod's address
    /// (other nodes route it back), traffic beyond it is masqueraded. Null: this node's pod CIDR (a single node).
    /// </summary>
    public IPNetwork? ClusterCidr { get; init; }

    /// <summary>The Linux bridge the pods' veths attach to; at most 15 characters, as for any interface.</summary>
    public string BridgeName { get; init; } = "gantry0";

    /// <summary>The CNI network name. host-local files allocations under it; ipMasq names its chains after it.</summary>
    public string NetworkName { get; init; } = "gantry";

    /// <summary>Sandbox namespaces are named this followed by the first 12 hex digits of the pod's uid.</summary>
    public string NamespacePrefix { get; init; } = "gantry-";

    /// <summary>Where the CNI plugin binaries are: Debian installs them in /usr/lib/cni, upstream in /opt/cni/bin.</summary>
    public string PluginDirectory { get; init; } = "/usr/lib/cni";

    /// <summary>
    /// Whether traffic from pods to addresses outside the pod CIDR leaves with the node's address, through one
    /// node-wide nftables rule (<see cref="PodNetwork.EnsureMasqueradeAsync"/>).
    /// </summary>
    public bool Masquerade { get; init; } = true;

    /// <summary>
    /// How many sandboxes to keep made ahead of pods while <see cref="PodNetwork.RunPoolAsync"/> runs (each holds
    /// an address of the pod CIDR, which a pod takes with it, so the pool never keeps an address from a pod); 0 makes
    /// every sandbox on its pod's start. Pods started one after another as fast as they run (60–70 a second on two
    /// cores) outpace the refill now and then. With 4, the slowest of them spent 25–45 ms between the agent seeing the
    /// pod and the runtime starting it, about what making a sandbox takes. With 8 their p99 was 23–30 ms in four runs,
    /// against 24–44 ms with 4 in five.
    /// </summary>
    public int PoolSize { get; init; } = 8;

    /// <summary>How long any one external command (ip, a plugin) may run before it is killed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal string IpamDirectory => Path.Combine(StateDirectory, "ipam");

    internal string SandboxDirectory => Path.Combine(StateDirectory, "sandboxes");

    internal string PoolDirectory => Path.Combine(SandboxDirectory, "pool");

    /// <exception cref="ArgumentException">An option the plugins or the kernel would reject later, less clearly.</exception>
    internal void Validate()
    {
        if (!Path.IsPathFullyQualified(StateDirectory))
        {
            throw new ArgumentException($"the network state directory must be an absolute path, not '{StateDirectory}'");
        }

        if (PodCidr.BaseAddress.AddressFamily != AddressFamily.InterNetwork || PodCidr.PrefixLength > 30)
        {
            throw new ArgumentException($"the pod CIDR must be an IPv4 network with room for a gateway and a pod (/30 or larger), not {PodCidr}");
        }

        if (ClusterCidr is { } cluster && (!cluster.Contains(PodCidr.BaseAddress) || cluster.PrefixLength > PodCidr.PrefixLength))
        {
            throw new ArgumentException($"the pod CIDR {PodCidr} must lie inside the cluster CIDR {cluster}");
        }

        if (!InterfaceName().IsMatch(BridgeName))
        {
            throw new ArgumentException($"'{BridgeName}' cannot name a bridge: use 1 to 15 letters, digits, '-', '_' or '.'");
        }

        if (!CniName().IsMatch(NetworkName))
        {
            throw new ArgumentException($"'{NetworkName}' cannot name a CNI network: use letters, digits, '-', '_' or '.'");
        }

        if (!CniName().IsMatch(NamespacePrefix))
        {
            throw new ArgumentException($"'{NamespacePrefix}' cannot start a network namespace name: use letters, digits, '-', '_' or '.'");
        }

        if (PoolSize < 0)
        {
            throw new ArgumentException($"the sandbox pool size must not be negative, not {PoolSize}");
        }

        if (CommandTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the command timeout must be positive, not {CommandTimeout}");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$")]
    private static partial Regex InterfaceName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex CniName();
}
