namespace Gantry.Agent.Network;

/// <summary>
/// Gives pods their network sandboxes, the way a kubelet does through CNI: a named network namespace per pod,
/// <c>lo</c> brought up as the loopback plugin would, and <c>eth0</c> on the node's bridge with an address from the
/// node's pod CIDR (bridge plugin, host-local IPAM). Pods with <c>hostNetwork: true</c> never come here: they
/// run in the node's own namespace. Traffic leaving the pod CIDR is masqueraded by one node-wide rule, and while
/// <see cref="RunPoolAsync"/> runs a few sandboxes wait ready-made, so most pod starts make none.
/// </summary>
/// <remarks>
/// Calls for different pods may run concurrently (host-local locks its own store); calls for one pod must not,
/// which the agent's one-worker-per-pod design already ensures.
/// </remarks>
public sealed class PodNetwork
{
    private readonly SandboxMaker _maker;
    private readonly SandboxRecords _records;
    private readonly SandboxPool _pool;
    private readonly NodeMasquerade _masquerade;

    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public PodNetwork(PodNetworkOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _maker = new SandboxMaker(options);
        _records = new SandboxRecords(options.SandboxDirectory);
        _pool = new SandboxPool(options, _maker, _records, time ?? TimeProvider.System);
        _masquerade = new NodeMasquerade(options);
    }

    public PodNetworkOptions Options { get; }

    /// <summary>How many ready-made sandboxes wait in the pool.</summary>
    public int PooledSandboxes => _pool.Count;

    /// <summary>
    /// Checks, before any pod needs them, that the plugins are installed and speak the spec version Gantry uses,
    /// so a missing package is reported once at agent start instead of on every pod.
    /// </summary>
    /// <exception cref="NetworkCommandException">A plugin is missing, broken or too old.</exception>
    public async Task EnsurePluginsAsync(CancellationToken cancellationToken)
    {
        foreach (var plugin in new[] { "bridge", "host-local", "loopback" })
        {
            var version = await _maker.Plugins.VersionAsync(plugin, cancellationToken);
            if (!version.SupportedVersions.Contains(CniNetworkConfig.Version))
            {
                throw new NetworkCommandException(
                    $"CNI plugin {plugin} in {Options.PluginDirectory} speaks {string.Join(", ", version.SupportedVersions)} but Gantry needs {CniNetworkConfig.Version}; install containernetworking-plugins 1.0 or later");
            }
        }
    }

    /// <summary>
    /// Installs the node-wide masquerade rule for the pod CIDR (when <see cref="PodNetworkOptions.Masquerade"/>);
    /// idempotent, meant for every agent start, before the first pod.
    /// </summary>
    /// <exception cref="NetworkCommandException">nft is missing or refused.</exception>
    public Task EnsureMasqueradeAsync(CancellationToken cancellationToken) =>
        Options.Masquerade ? _masquerade.EnsureAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Undoes the pool sandboxes an earlier agent left (those no pod took), then keeps the pool full until
    /// cancelled, and undoes what it still holds then. Meant to run for the agent's life.
    /// </summary>
    /// <remarks>Failures are retried (pods make their own sandboxes meanwhile); it returns once cancelled.</remarks>
    public Task RunPoolAsync(CancellationToken cancellationToken) => _pool.RunAsync(cancellationToken);

    /// <summary>Makes pool sandboxes until the pool is full, then returns (<see cref="RunPoolAsync"/> does this and refills).</summary>
    /// <exception cref="NetworkCommandException">Making one failed.</exception>
    public Task FillPoolAsync(CancellationToken cancellationToken) => _pool.FillAsync(cancellationToken);

    /// <summary>
    /// Undoes the pool sandboxes on disk that no pod took, as an agent start does (<see cref="RunPoolAsync"/>):
    /// those an earlier agent held when it stopped or crashed, or was making.
    /// </summary>
    /// <exception cref="NetworkCommandException">One could not be undone; it stays for the next try.</exception>
    public Task RecoverPoolAsync(CancellationToken cancellationToken) => _pool.RecoverAsync(cancellationToken);

    /// <summary>
    /// Makes the pod's sandbox, or hands it one from the pool, and returns it. Leftovers of an earlier attempt for
    /// the same pod (an agent that crashed half way) are torn down first, so the sandbox returned is always fresh;
    /// if making it fails, what was made is undone before the error propagates.
    /// </summary>
    /// <param name="podUid">The pod's <c>metadata.uid</c>, a UUID; the CNI container id of a sandbox made for the pod.</param>
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

        if (await _pool.TakeAsync(containerId, podName, podNamespace, _records, cancellationToken) is { } pooled)
        {
            return SandboxMaker.Describe(containerId, pooled.NetworkNamespace, CniResult.Parse(pooled.ResultJson));
        }

        try
        {
            var (result, json) = await _maker.MakeAsync(containerId, name, podName, podNamespace, cancellationToken);
            var sandbox = SandboxMaker.Describe(containerId, name, result);
            await _records.WriteAsync(containerId, new SandboxRecord(containerId, containerId, podName, podNamespace, name, json, PluginMasquerade: false, LoopbackPlugin: false), cancellationToken);
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
    /// Removes the pod's sandbox, whether made for it or taken from the pool: DEL releases its address, then the
    /// namespace goes. Idempotent: deleting a sandbox that is partly or wholly gone, or never existed, succeeds.
    /// </summary>
    /// <exception cref="NetworkCommandException">A plugin or command failed; the sandbox is kept so a retry can finish.</exception>
    public async Task DeleteSandboxAsync(string podUid, CancellationToken cancellationToken)
    {
        var containerId = ContainerId(podUid);
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

        await _maker.DestroyAsync(
            record?.ContainerId ?? containerId, record?.NetworkNamespace ?? NamespaceName(Options.NamespacePrefix, podUid), record, cancellationToken);
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
        SandboxRecord? record;
        try
        {
            record = await _records.ReadAsync(containerId, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return SandboxInspection.Broken(ex.Message);
        }

        var name = record?.NetworkNamespace ?? NamespaceName(Options.NamespacePrefix, podUid);
        if (!NetworkNamespaces.Exists(name))
        {
            return SandboxInspection.Missing($"network namespace {name} does not exist");
        }

        if (record is null)
        {
            return SandboxInspection.Broken($"network namespace {name} exists but no CNI result was recorded for it");
        }

        return await _maker.CheckAsync(record, cancellationToken) is { } problem
            ? SandboxInspection.Broken(problem)
            : SandboxInspection.Ready(SandboxMaker.Describe(containerId, name, CniResult.Parse(record.ResultJson)));
    }

    /// <summary>The network namespace of the pod's sandbox, as <c>ip netns</c> names it; null when it has none (yet).</summary>
    public async Task<string?> SandboxNamespaceAsync(string podUid, CancellationToken cancellationToken)
    {
        SandboxRecord? record;
        try
        {
            record = await _records.ReadAsync(ContainerId(podUid), cancellationToken);
        }
        catch (InvalidDataException)
        {
            return null;
        }

        return record is not null && NetworkNamespaces.Exists(record.NetworkNamespace) ? record.NetworkNamespace : null;
    }

    /// <summary>
    /// A sandbox namespace's name: the prefix and the first 12 hex digits of the uid (the pod's, or a pool
    /// sandbox's own), short enough to read in <c>ip netns</c> and, uids being random, unique in practice.
    /// </summary>
    internal static string NamespaceName(string prefix, string uid) => prefix + Guid.Parse(uid).ToString("N")[..12];

    /// <summary>The pod's uid in its canonical form, which satisfies the CNI container id grammar.</summary>
    private static string ContainerId(string podUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(podUid);
        return Guid.TryParse(podUid, out var uid)
            ? uid.ToString("D")
            : throw new ArgumentException($"pod uid '{podUid}' is not a UUID", nameof(podUid));
    }
}
