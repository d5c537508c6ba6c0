using System.Text.Json.Nodes;

namespace Gantry.Agent.Network;

/// <summary>The network configurations Gantry hands the CNI plugins on stdin.</summary>
internal static class CniNetworkConfig
{
    /// <summary>
    /// The spec version Gantry speaks. Debian 12's containernetworking-plugins (1.1.1) support 0.1.0 through 1.0.0;
    /// 1.0.0 is the first with CHECK semantics and result shapes that later versions keep.
    /// </summary>
    public const string Version = "1.0.0";

    /// <summary>
    /// The pod network: a Linux bridge that is the pods' gateway, one veth per pod, addresses from host-local IPAM
    /// whose allocations live under the agent's state directory so they outlast agent restarts.
    /// </summary>
    /// <param name="pluginMasquerade">
    /// The plugin's own ipMasq: false for every sandbox made now (<see cref="NodeMasquerade"/> has one rule for
    /// all pods), true only to CHECK or DEL a sandbox recorded as made with it.
    /// </param>
    public static JsonObject Bridge(PodNetworkOptions options, bool pluginMasquerade) => new()
    {
        ["cniVersion"] = Version,
        ["name"] = options.NetworkName,
        ["type"] = "bridge",
        ["bridge"] = options.BridgeName,
        ["isGateway"] = true,
        // The node's pod CIDR is the server's to assign: a bridge left with another gateway address (a node that
        // got another CIDR, or a host that ran Gantry before node IPAM, with 10.88.0.1) takes the new one instead of
        // failing every pod with "already has an IP address different from".
        ["forceAddress"] = true,
        ["ipMasq"] = pluginMasquerade,
        // Lets a pod reach itself through a service address that the proxy rewrites back to it.
        ["hairpinMode"] = true,
        ["ipam"] = new JsonObject
        {
            ["type"] = "host-local",
            ["ranges"] = new JsonArray(new JsonArray(new JsonObject
            {
                ["subnet"] = options.PodCidr.ToString(),
            })),
            ["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" }),
            ["dataDir"] = options.IpamDirectory,
        },
    };

    /// <summary>Brings up the pod's <c>lo</c>; the plugin ignores CNI_IFNAME and always configures <c>lo</c>.</summary>
    public static JsonObject Loopback() => new()
    {
        ["cniVersion"] = Version,
        ["name"] = "lo",
        ["type"] = "loopback",
    };

    /// <summary>
    /// A copy of <paramref name="config"/> carrying the ADD result as <c>prevResult</c>, which CHECK requires and
    /// DEL uses to undo exactly what ADD did.
    /// </summary>
    public static JsonObject WithPrevResult(JsonObject config, JsonNode prevResult)
    {
        var copy = config.DeepClone().AsObject();
        copy["prevResult"] = prevResult.DeepClone();
        return copy;
    }

    /// <summary>
    /// CNI_ARGS as the kubelet sets them, so plugins and their logs can tell which pod a call is for.
    /// IgnoreUnknown keeps plugins that validate their arguments (host-local) from rejecting the ones they don't know.
    /// </summary>
    public static string Args(string podUid, string? podName, string? podNamespace)
    {
        var args = new List<string> { "IgnoreUnknown=1" };
        if (podNamespace is not null)
        {
            args.Add($"K8S_POD_NAMESPACE={podNamespace}");
        }

        if (podName is not null)
        {
            args.Add($"K8S_POD_NAME={podName}");
        }

        args.Add($"K8S_POD_INFRA_CONTAINER_ID={podUid}");
        args.Add($"K8S_POD_UID={podUid}");
        return string.Join(';', args);
    }
}
