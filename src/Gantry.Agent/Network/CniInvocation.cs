namespace Gantry.Agent.Network;

/// <summary>
/// One call of a CNI plugin as the spec defines it: the plugin's type names its binary, the rest travels in
/// <c>CNI_*</c> environment variables while the network configuration goes on stdin.
/// </summary>
internal sealed record CniInvocation(string Plugin, string Command, string ContainerId, string NetnsPath, string IfName, string Args)
{
    /// <summary>
    /// The environment the plugin runs with. CNI_PATH is where it finds the plugins it delegates to (IPAM).
    /// GOMAXPROCS=1, which the IPAM plugin inherits: the plugins are Go programs that make a few netlink calls and
    /// exit, and a Go runtime sized for every core costs them a fifth more CPU (a bridge ADD with host-local, alone:
    /// 9.3 against 7.5 ms). The sandbox pool runs them while other pods start, on the same cores.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(string pluginDirectory) => new Dictionary<string, string>
    {
        ["GOMAXPROCS"] = "1",
        ["CNI_COMMAND"] = Command,
        ["CNI_CONTAINERID"] = ContainerId,
        ["CNI_NETNS"] = NetnsPath,
        ["CNI_IFNAME"] = IfName,
        ["CNI_ARGS"] = Args,
        ["CNI_PATH"] = pluginDirectory,
    };

    public override string ToString() =>
        $"{Plugin} (CNI_COMMAND={Command} CNI_CONTAINERID={ContainerId} CNI_NETNS={NetnsPath} CNI_IFNAME={IfName})";
}
