using System.Globalization;
using System.Net;
using Gantry.Server;

namespace Gantry.Cli;

/// <summary>The flags shared by gantry's commands, in <c>--name value</c> or <c>--name=value</c> form.</summary>
public sealed record Flags(string DataDirectory, int ApiPort, IPAddress? BindAddress)
{
    /// <summary>For <c>gantry agent</c>: the server URL to join.</summary>
    public Uri? Server { get; init; }

    /// <summary>For <c>gantry agent</c>: the bearer token to present.</summary>
    public string? Token { get; init; }

    /// <summary>For <c>gantry agent</c>: the cluster CA to trust (PEM file).</summary>
    public string? CaFile { get; init; }

    /// <summary>The node name; the host name by default.</summary>
    public string? NodeName { get; init; }

    /// <summary>For <c>gantry server</c> and <c>gantry up</c>: the CIDR node pod CIDRs are cut from.</summary>
    public IPNetwork? ClusterCidr { get; init; }

    /// <summary>For <c>gantry agent</c>: the address the node reports as its InternalIP (the kubelet's <c>--node-ip</c>).</summary>
    public IPAddress? NodeIp { get; init; }

    public ServerOptions ToServerOptions()
    {
        var options = new ServerOptions(DataDirectory, ApiPort, BindAddress);
        return ClusterCidr is { } cidr ? options with { ClusterCidr = cidr } : options;
    }

    public static Flags Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument \"{arg}\"");
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[arg[2..eq]] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                values[arg[2..]] = args[++i];
            }
            else
            {
                throw new UsageException($"flag {arg} needs a value");
            }
        }

        var port = 6443;
        if (values.Remove("api-port", out var portText) &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new UsageException($"--api-port must be a port number, not \"{portText}\"");
        }

        IPAddress? bind = null;
        if (values.Remove("bind-address", out var bindText) && !IPAddress.TryParse(bindText, out bind))
        {
            throw new UsageException($"--bind-address must be an IP address, not \"{bindText}\"");
        }

        var dataDir = values.Remove("data-dir", out var dir) ? Path.GetFullPath(dir) : ServerOptions.DefaultDataDirectory();
        Uri? server = null;
        if (values.Remove("server", out var serverText) && !Uri.TryCreate(serverText, UriKind.Absolute, out server))
        {
            throw new UsageException($"--server must be a URL like https://10.0.0.1:6443, not \"{serverText}\"");
        }

        IPNetwork? clusterCidr = null;
        if (values.Remove("cluster-cidr", out var cidrText))
        {
            clusterCidr = IPNetwork.TryParse(cidrText, out var cidr) && cidr.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                && cidr.PrefixLength <= 24
                ? cidr
                : throw new UsageException($"--cluster-cidr must be an IPv4 CIDR of /24 or wider like 10.244.0.0/16, not \"{cidrText}\"");
        }

        IPAddress? nodeIp = null;
        if (values.Remove("node-ip", out var nodeIpText) && !IPAddress.TryParse(nodeIpText, out nodeIp))
        {
            throw new UsageException($"--node-ip must be an IP address, not \"{nodeIpText}\"");
        }

        var flags = new Flags(dataDir, port, bind)
        {
            Server = server,
            Token = values.Remove("token", out var token) ? token : null,
            CaFile = values.Remove("ca-file", out var caFile) ? caFile : null,
            NodeName = values.Remove("node-name", out var nodeName) ? nodeName : null,
            ClusterCidr = clusterCidr,
            NodeIp = nodeIp,
        };
        if (values.Count > 0)
        {
            throw new UsageException($"unknown flag --{values.Keys.First()}");
        }

        return flags;
    }

    /// <summary>
    /// The flag at <paramref name="i"/> as name and value (<c>--name=value</c> or <c>--name value</c>, which moves
    /// <paramref name="i"/> past the value), or nulls for a positional argument; for commands with flags of their own.
    /// </summary>
    internal static (string? Name, string? Value) Split(string[] args, ref int i)
    {
        var arg = args[i];
        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            return (null, null);
        }

        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            return (arg[..eq], arg[(eq + 1)..]);
        }

        if (i + 1 >= args.Length)
        {
            throw new UsageException($"flag {arg} needs a value");
        }

        return (arg, args[++i]);
    }
}
