using System.Net;

namespace Gantry.Server;

/// <summary>How the server is started: where it listens and where it keeps its state.</summary>
public sealed record ServerOptions(string DataDirectory, int ApiPort = 6443, IPAddress? BindAddress = null)
{
    public IPAddress Address => BindAddress ?? IPAddress.Loopback;

    /// <summary>The CIDR Service cluster IPs come from (kube-apiserver's <c>--service-cluster-ip-range</c>, kubeadm's default).</summary>
    public string ServiceClusterIpRange { get; init; } = "10.96.0.0/12";

    /// <summary>The address clients use: loopback when bound to every interface.</summary>
    public string Url => $"https://{(Address.Equals(IPAddress.Any) ? IPAddress.Loopback : Address)}:{ApiPort}";

    /// <summary><c>/var/lib/gantry</c> for root, <c>~/.local/share/gantry</c> otherwise.</summary>
    public static string DefaultDataDirectory() =>
        Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root"
            ? "/var/lib/gantry"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "gantry");
}
