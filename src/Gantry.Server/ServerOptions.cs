using System.Net;

namespace Gantry.Server;

/// <summary>How the server is started: where it listens and where it keeps its state.</summary>
public sealed record ServerOptions(string DataDirectory, int ApiPort = 6443, IPAddress? BindAddress = null)
{
    public IPAddress Address => BindAddress ?? IPAddress.Loopback;

    /// <summary>The CIDR Service cluster IPs come from (kube-apiserver's <c>--service-cluster-ip-range</c>, kubeadm's default).</summary>
    public string ServiceClusterIpRange { get; init; } = "10.96.0.0/12";

    /// <summary>
    /// The cluster DNS's port (UDP and TCP). 0, the default, takes a free port at every start, so several servers on one
    /// machine never collide: pods reach it through the <c>kube-dns</c> Service's cluster IP, whose endpoints name the port.
    /// </summary>
    public int DnsPort { get; init; }

    /// <summary>The cluster's DNS domain (the kubelet's <c>--cluster-domain</c>).</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>Where the cluster DNS forwards names outside the cluster domain; null: the host's /etc/resolv.conf nameservers.</summary>
    public IReadOnlyList<IPEndPoint>? DnsUpstreams { get; init; }

    /// <summary>
    /// The CIDR every node's pod CIDR is cut from (kube-controller-manager's <c>--cluster-cidr</c>, flannel's
    /// default); a single node gets its first subnet.
    /// </summary>
    public IPNetwork ClusterCidr { get; init; } = new(IPAddress.Parse("10.244.0.0"), 16);

    /// <summary>The prefix length of each node's pod CIDR (<c>--node-cidr-mask-size</c>): 254 pods a node.</summary>
    public int NodeCidrMaskSize { get; init; } = 24;

    /// <summary>The address clients use: loopback when bound to every interface.</summary>
    public string Url => $"https://{(Address.Equals(IPAddress.Any) ? IPAddress.Loopback : Address)}:{ApiPort}";

    /// <summary><c>/var/lib/gantry</c> for root, <c>~/.local/share/gantry</c> otherwise.</summary>
    public static string DefaultDataDirectory() =>
        Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root"
            ? "/var/lib/gantry"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "gantry");
}
