using System.Globalization;

namespace Gantry.Dev;

/// <summary>
/// The dev cluster's "hosts": network namespaces <c>gdev-h0</c>… each with a veth (<c>eth0</c> inside,
/// <c>gdev-hN-r</c> outside) on the bridge <c>gdev0</c> in the root namespace, which has 10.77.0.1/24 so that
/// kubectl on the machine reaches them. Host N has 10.77.0.(10+N)/24 and its default route via the bridge.
/// </summary>
internal static class DevHosts
{
    public const string Bridge = "gdev0";
    public const string Prefix = "gdev-h";
    public const string BridgeAddress = "10.77.0.1";
    public const int MaxHosts = 200;

    public static string Name(int index) => Prefix + index.ToString(CultureInfo.InvariantCulture);

    public static string Address(int index) => "10.77.0." + (10 + index).ToString(CultureInfo.InvariantCulture);

    public static string NetnsPath(int index) => "/run/netns/" + Name(index);

    /// <summary>The root namespace's end of the host's veth; taking it down cuts the host off.</summary>
    public static string OuterLink(string host) => host + "-r";

    /// <summary>The index of a host named <c>gdev-hN</c>, or null.</summary>
    public static int? IndexOf(string host) =>
        host.StartsWith(Prefix, StringComparison.Ordinal) && int.TryParse(host.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && i < MaxHosts
            ? i
            : null;

    /// <summary>Makes the bridge and <paramref name="count"/> hosts.</summary>
    public static async Task CreateAsync(int count)
    {
        await DevCommands.CheckedAsync("ip", "link", "add", Bridge, "type", "bridge").ConfigureAwait(false);
        await DevCommands.CheckedAsync("ip", "addr", "add", BridgeAddress + "/24", "dev", Bridge).ConfigureAwait(false);
        await DevCommands.CheckedAsync("ip", "link", "set", Bridge, "up").ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            var host = Name(i);
            await DevCommands.CheckedAsync("ip", "netns", "add", host).ConfigureAwait(false);
            await DevCommands.CheckedAsync("ip", "link", "add", OuterLink(host), "type", "veth", "peer", "name", "eth0", "netns", host).ConfigureAwait(false);
            await DevCommands.CheckedAsync("ip", "link", "set", OuterLink(host), "master", Bridge, "up").ConfigureAwait(false);
            await DevCommands.CheckedAsync("ip", "-n", host, "addr", "add", Address(i) + "/24", "dev", "eth0").ConfigureAwait(false);
            await DevCommands.CheckedAsync("ip", "-n", host, "link", "set", "lo", "up").ConfigureAwait(false);
            await DevCommands.CheckedAsync("ip", "-n", host, "link", "set", "eth0", "up").ConfigureAwait(false);
            await DevCommands.CheckedAsync("ip", "-n", host, "route", "add", "default", "via", BridgeAddress).ConfigureAwait(false);
            // A host forwards between its pods' bridge and the link (the bridge plugin would too, on its first pod).
            await DevCommands.CheckedAsync("nsenter", "--net=" + NetnsPath(i), "sysctl", "-qw", "net.ipv4.ip_forward=1").ConfigureAwait(false);
        }
    }

    /// <summary>Removes every <c>gdev-h*</c> namespace (their veths go with them) and the bridge. Idempotent.</summary>
    public static async Task RemoveAllAsync()
    {
        var (_, list, _) = await DevCommands.RunAsync("ip", ["netns", "list"]).ConfigureAwait(false);
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (IndexOf(name) is not null)
            {
                await DevCommands.QuietAsync("ip", "netns", "delete", name).ConfigureAwait(false);
                await DevCommands.QuietAsync("ip", "link", "delete", OuterLink(name)).ConfigureAwait(false);
            }
        }

        await DevCommands.QuietAsync("ip", "link", "delete", Bridge).ConfigureAwait(false);
    }

    /// <summary>Sets the host's link down (cut) or up (heal).</summary>
    public static Task SetLinkAsync(string host, bool up) =>
        DevCommands.CheckedAsync("ip", "link", "set", OuterLink(host), up ? "up" : "down");
}
