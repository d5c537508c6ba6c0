using System.Text.Json.Nodes;

namespace Gantry.Agent.Network;

/// <summary>
/// Gives pods their network sandboxes, the way a kubelet does through CNI: a named network namespace per pod,
/// <c>lo</c> brought up by the loopback plugin, and <c>eth0</c> on the node's bridge with an address from the
/// node's pod CIDR (bridge plugin, host-local IPAM). Pods with <c>hostNetwork: true</c> never come here: they
/// run in the node's own namespace.
/// </summary>
/// <remarks>
/// Calls for different pods may run concurrently (host-local locks its own store); calls for one pod must not,
/// which the agent's one-worker-per-pod design already ensures.
/// </remarks>
public sealed class PodNetwork
{
    private const string PodInterface = "eth0";

    private readonly CniPlugins _plugins;
    private readonly NetworkNamespaces _namespaces;
    private readonly SandboxRecords _records;
    private readonly MasqueradeLeftovers _masquerade;

    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public PodNetwork(PodNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _plugins = new CniPlugins(options.PluginDirectory, options.CommandTimeout);
        _namespaces = new NetworkNamespaces(options.CommandTimeout);
        _records = new SandboxRecords(options.SandboxDirectory);
        _masquerade = new MasqueradeLeftovers(options.CommandTimeout);
    }

    public PodNetworkOptions Options { get; }

    /// <summary>
    /// Checks, before any pod needs them, that the plugins are installed and speak the spec version Gantry uses,
    /// so a missing package is reported once at agent start instead of on every pod.
    /// </summary>
    /// <exception cref="NetworkCommandException">A plugin is missing, broken or too old.</exception>
    public async Task EnsurePluginsAsync(CancellationToken cancellationToken)
    {
        foreach (var plugin in new[] { "bridge", "host-local", "loopback" })
        {
            var version = await _plugins.VersionAsync(plugin, cancellationToken);
            if (!version.SupportedVersions.Contains(CniNetworkConfig.Version))
            {
                throw new NetworkCommandException(
                    $"CNI plugin {plugin} in {Options.PluginDirectory} speaks {string.Join(", ", version.SupportedVersions)} but Gantry needs {CniNetworkConfig.Version}; install containernetworking-plugins 1.0 or later");
            }
        }
    }

    /// <summary>
    /// Makes the pod's sandbox and returns it. Leftovers of an earlier attempt for the same pod (an agent that
    /// crashed half way) are torn down first, so the sandbox returned is always freshly made; if making it fails,
    /// what was made is undone before the error propagates.
    /// </summary>
    /// <param name="podUid">The pod's <c>metadata.uid</c>, a UUID; it is the CNI container id.</param>
    /// <param name="podName">Passed to the plugins (K8S_POD_NAME) and recorded, for whoever reads their logs.</param>
    /// <param name="podNamespace">Likewise, as K8S_POD_NAMESPACE.</param>
    /// <exception cref="CniPluginException">A plugin refused, e.g. because the pod CIDR has no address left.</exception>
    /// <exception cref="NetworkCommandException">A command failed or timed out.</exception>
    public async Task<SandboxInfo> CreateSandboxAsync(string podUid, string podName, string podNamespace, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(podName);
        ArgumentException.ThrowIfNullOrEmpty(podNamespace);
        var containerId = ContainerId(podUid);
        var name = NamespaceName(Options.NamespacePrefix, podUid);
        if (NetworkNamespaces.Exists(name) || _records.Exists(containerId))
        {
            await DeleteSandboxAsync(podUid, cancellationToken);
        }

        await _namespaces.AddAsync(name, cancellationToken);
        try
        {
            var path = NetworkNamespaces.PathOf(name);
            var args = CniNetworkConfig.Args(containerId, podName, podNamespace);
            await _plugins.AddAsync(new CniInvocation("loopback", "ADD", containerId, path, "lo", args), CniNetworkConfig.Loopback(), cancellationToken);
            var (result, json) = await _plugins.AddAsync(
                new CniInvocation("bridge", "ADD", containerId, path, PodInterface, args), CniNetworkConfig.Bridge(Options), cancellationToken);
            var sandbox = Describe(containerId, name, result);
            await _records.WriteAsync(new SandboxRecord(containerId, podName, podNamespace, name, json), cancellationToken);
            return sandbox;
        }
        catch
        {
            try
            {
                await DeleteSandboxAsync(podUid, CancellationToken.None);
            }
            catch (NetworkCommandException)
            {
                // The original failure is the one worth reporting. Whatever is left over (the namespace stays
                // until DEL succeeds) is torn down by the next create or delete for this pod.
            }

            throw;
        }
    }

    /// <summary>
    /// Removes the pod's sandbox: DEL releases its address and its masquerade rule, then the namespace goes.
    /// A masquerade rule DEL cannot find (the namespace vanished or lost its eth0) is removed from the recorded
    /// addresses. Idempotent: deleting a sandbox that is partly or wholly gone, or never existed, succeeds.
    /// </summary>
    /// <exception cref="NetworkCommandException">A plugin or command failed; the sandbox is kept so a retry can finish.</exception>
    public async Task DeleteSandboxAsync(string podUid, CancellationToken cancellationToken)
    {
        var containerId = ContainerId(podUid);
        var name = NamespaceName(Options.NamespacePrefix, podUid);
        var path = NetworkNamespaces.PathOf(name);
        SandboxRecord? record;
        try
        {
            record = await _records.ReadAsync(containerId, cancellationToken);
        }
        catch (InvalidDataException)
        {
            // A damaged record must not keep the address allocated forever; DEL works without prevResult.
            record = null;
        }

        var args = CniNetworkConfig.Args(containerId, record?.PodName, record?.PodNamespace);
        var bridge = CniNetworkConfig.Bridge(Options);
        if (record is not null)
        {
            bridge = CniNetworkConfig.WithPrevResult(bridge, JsonNode.Parse(record.ResultJson)!);
        }

        // Reverse order of ADD. The namespace goes last: the bridge plugin finds the pod's addresses (and so its
        // masquerade rule) inside it, and it must outlive a failed DEL so that the retry can still find them.
        await _plugins.RunAsync(new CniInvocation("bridge", "DEL", containerId, path, PodInterface, args), bridge, cancellationToken);
        if (record is not null && Options.Masquerade)
        {
            await _masquerade.RemoveAsync(Options.NetworkName, containerId, CniResult.Parse(record.ResultJson).Ips.Select(ip => ip.Address), cancellationToken);
        }

        await _plugins.RunAsync(new CniInvocation("loopback", "DEL", containerId, path, "lo", args), CniNetworkConfig.Loopback(), cancellationToken);
        await _namespaces.DeleteAsync(name, cancellationToken);
        _records.Delete(containerId);
    }

    /// <summary>
    /// Finds out whether a sandbox made before (typically by an agent that has since restarted) still holds:
    /// its namespace must exist and the plugins' CHECK must confirm its interface, address and routes. A ready
    /// sandbox is reported with its address; a missing or broken one should be deleted and made again.
    /// </summary>
    /// <exception cref="NetworkCommandException">A command could not run or timed out, so nothing is known.</exception>
    public async Task<SandboxInspection> InspectSandboxAsync(string podUid, CancellationToken cancellationToken)
    {
        var containerId = ContainerId(podUid);
        var name = NamespaceName(Options.NamespacePrefix, podUid);
        if (!NetworkNamespaces.Exists(name))
        {
            return SandboxInspection.Missing($"network namespace {name} does not exist");
        }

        SandboxRecord? record;
        try
        {
            record = await _records.ReadAsync(containerId, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return SandboxInspection.Broken(ex.Message);
        }

        if (record is null)
        {
            return SandboxInspection.Broken($"network namespace {name} exists but no CNI result was recorded for it");
        }

        var path = NetworkNamespaces.PathOf(name);
        var args = CniNetworkConfig.Args(containerId, record.PodName, record.PodNamespace);
        var previous = JsonNode.Parse(record.ResultJson)!;
        try
        {
            await _plugins.RunAsync(
                new CniInvocation("bridge", "CHECK", containerId, path, PodInterface, args),
                CniNetworkConfig.WithPrevResult(CniNetworkConfig.Bridge(Options), previous),
                cancellationToken);
            await _plugins.RunAsync(new CniInvocation("loopback", "CHECK", containerId, path, "lo", args), CniNetworkConfig.Loopback(), cancellationToken);
        }
        catch (CniPluginException ex)
        {
            return SandboxInspection.Broken(ex.Message);
        }

        return SandboxInspection.Ready(Describe(containerId, name, CniResult.Parse(record.ResultJson)));
    }

    /// <summary>
    /// The sandbox namespace's name: the prefix and the first 12 hex digits of the uid, short enough to read in
    /// <c>ip netns</c> and, uids being random, unique in practice.
    /// </summary>
    internal static string NamespaceName(string prefix, string podUid) => prefix + Guid.Parse(podUid).ToString("N")[..12];

    /// <summary>The pod's uid in its canonical form, which satisfies the CNI container id grammar.</summary>
    private static string ContainerId(string podUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(podUid);
        return Guid.TryParse(podUid, out var uid)
            ? uid.ToString("D")
            : throw new ArgumentException($"pod uid '{podUid}' is not a UUID", nameof(podUid));
    }

    private static SandboxInfo Describe(string containerId, string name, CniResult result)
    {
        var path = NetworkNamespaces.PathOf(name);
        var ip = result.PodAddress(PodInterface, path);
        var gateway = ip.Gateway ?? throw new FormatException($"the CNI result gives {PodInterface} in {path} no gateway");
        return new SandboxInfo(containerId, name, path, ip.Address, gateway, ip.Network);
    }
}
