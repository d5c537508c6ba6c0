using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Gantry.Agent.Network;

/// <summary>
/// Makes and undoes one sandbox under a given CNI container id and namespace name: the namespace with <c>lo</c> up
/// (<see cref="NetworkNamespaces"/>), then the bridge plugin (and the reverse). Whose sandbox it is, and where that is remembered, is for
/// <see cref="PodNetwork"/> and <see cref="SandboxPool"/> to decide.
/// </summary>
internal sealed class SandboxMaker(PodNetworkOptions options)
{
    public const string PodInterface = "eth0";

    private readonly CniPlugins _plugins = new(options.PluginDirectory, options.CommandTimeout);
    private readonly MasqueradeLeftovers _masquerade = new(options.CommandTimeout);

    // The bridge plugin pins the bridge's MAC only in the ADD that gives the bridge its address, and pins the one
    // it read before its veth joined; an ADD running beside it can record the MAC of the moment before, and its
    // CHECK then fails for the sandbox's whole life. So ADDs take turns, passing one token, until one has finished.
    private readonly Channel<bool> _addTurn = OneToken();
    private volatile bool _bridgeSettled;

    public CniPlugins Plugins => _plugins;

    /// <summary>
    /// Makes the namespace (with <c>lo</c> up) and <c>eth0</c>; returns the bridge plugin's result and its JSON. Undoes
    /// nothing on failure.
    /// </summary>
    public async Task<(CniResult Result, string Json)> MakeAsync(
        string containerId, string name, string? podName, string? podNamespace, CancellationToken cancellationToken)
    {
        await NetworkNamespaces.AddAsync(name, cancellationToken);
        var path = NetworkNamespaces.PathOf(name);
        var args = CniNetworkConfig.Args(containerId, podName, podNamespace);
        var add = new CniInvocation("bridge", "ADD", containerId, path, PodInterface, args);
        var config = CniNetworkConfig.Bridge(options, pluginMasquerade: false);
        if (_bridgeSettled)
        {
            return await _plugins.AddAsync(add, config, cancellationToken);
        }

        await _addTurn.Reader.ReadAsync(cancellationToken);
        try
        {
            var made = await _plugins.AddAsync(add, config, cancellationToken);
            _bridgeSettled = true;
            return made;
        }
        finally
        {
            _addTurn.Writer.TryWrite(true);
        }
    }

    /// <summary>
    /// DEL releases the address (and, for a sandbox made with the plugin's ipMasq, its masquerade chain), then the
    /// namespace goes. Idempotent: what is already gone is skipped.
    /// </summary>
    /// <param name="record">What ADD returned, if known; DEL works without it.</param>
    /// <exception cref="NetworkCommandException">A plugin or command failed; what is left stays so a retry can finish.</exception>
    public async Task DestroyAsync(string containerId, string name, SandboxRecord? record, CancellationToken cancellationToken)
    {
        var path = NetworkNamespaces.PathOf(name);
        var args = CniNetworkConfig.Args(containerId, record?.PodName, record?.PodNamespace);
        // Without a record the sandbox was being made by this agent when its making stopped (a cancelled start, a
        // crash before the record): made without the plugin's ipMasq, whose DEL would fail on the missing chain.
        var pluginMasquerade = record?.PluginMasquerade ?? false;
        var bridge = CniNetworkConfig.Bridge(options, pluginMasquerade);
        if (record is not null)
        {
            bridge = CniNetworkConfig.WithPrevResult(bridge, JsonNode.Parse(record.ResultJson)!);
        }

        // Reverse order of ADD. The namespace goes last: the bridge plugin finds the pod's addresses (and so its
        // masquerade rule) inside it, and it must outlive a failed DEL so that the retry can still find them.
        await _plugins.RunAsync(new CniInvocation("bridge", "DEL", containerId, path, PodInterface, args), bridge, cancellationToken);
        if (record is not null && pluginMasquerade)
        {
            await _masquerade.RemoveAsync(options.NetworkName, containerId, CniResult.Parse(record.ResultJson).Ips.Select(ip => ip.Address), cancellationToken);
        }

        // Sandboxes made before the namespace brought its own lo up had the loopback plugin's ADD, which DEL answers.
        if (record?.LoopbackPlugin != false)
        {
            await _plugins.RunAsync(new CniInvocation("loopback", "DEL", containerId, path, "lo", args), CniNetworkConfig.Loopback(), cancellationToken);
        }

        await NetworkNamespaces.DeleteAsync(name, cancellationToken);
    }

    private static Channel<bool> OneToken()
    {
        var channel = Channel.CreateBounded<bool>(1);
        channel.Writer.TryWrite(true);
        return channel;
    }

    /// <summary>The plugins' CHECK of a recorded sandbox; the plugin's refusal, or null when it holds.</summary>
    /// <exception cref="NetworkCommandException">A command could not run or timed out.</exception>
    public async Task<string?> CheckAsync(SandboxRecord record, CancellationToken cancellationToken)
    {
        var path = NetworkNamespaces.PathOf(record.NetworkNamespace);
        var args = CniNetworkConfig.Args(record.ContainerId, record.PodName, record.PodNamespace);
        var previous = JsonNode.Parse(record.ResultJson)!;
        try
        {
            await _plugins.RunAsync(
                new CniInvocation("bridge", "CHECK", record.ContainerId, path, PodInterface, args),
                CniNetworkConfig.WithPrevResult(CniNetworkConfig.Bridge(options, record.PluginMasquerade), previous),
                cancellationToken);
            if (record.LoopbackPlugin)
            {
                await _plugins.RunAsync(new CniInvocation("loopback", "CHECK", record.ContainerId, path, "lo", args), CniNetworkConfig.Loopback(), cancellationToken);
            }
            return null;
        }
        catch (CniPluginException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The sandbox as pods see it, from the bridge plugin's result.</summary>
    public static SandboxInfo Describe(string podUid, string name, CniResult result)
    {
        var path = NetworkNamespaces.PathOf(name);
        var ip = result.PodAddress(PodInterface, path);
        var gateway = ip.Gateway ?? throw new FormatException($"the CNI result gives {PodInterface} in {path} no gateway");
        return new SandboxInfo(podUid, name, path, ip.Address, gateway, ip.Network);
    }
}
