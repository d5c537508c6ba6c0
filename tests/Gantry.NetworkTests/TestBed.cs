using System.Net;
using Gantry.Agent.Network;

namespace Gantry.NetworkTests;

/// <summary>
/// A pod network of a test's own: bridge gantry-tN, pod CIDR 10.199.N.0/24 (or smaller), a fresh state directory.
/// Disposing it deletes every sandbox the test asked for (even half-made ones), the bridge and the state, and
/// puts back the host's IP forwarding setting, which the bridge plugin switches on.
/// </summary>
internal sealed class TestBed : IAsyncDisposable
{
    private const string ForwardingSysctl = "/proc/sys/net/ipv4/ip_forward";

    private static int s_next;

    private readonly List<string> _podUids = [];
    private readonly string _forwarding;

    private TestBed(int prefixLength)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("the network tests make namespaces, bridges and routes: run them as root");
        }

        var index = Interlocked.Increment(ref s_next);
        Options = new PodNetworkOptions
        {
            StateDirectory = Path.Combine(Path.GetTempPath(), $"gantry-nettest-{Guid.NewGuid():N}"),
            PodCidr = new IPNetwork(IPAddress.Parse($"10.199.{index}.0"), prefixLength),
            BridgeName = $"gantry-t{index}",
            NetworkName = $"gantry-test-{index}",
            NamespacePrefix = "gantryt-",
        };
        Network = new PodNetwork(Options);
        _forwarding = File.ReadAllText(ForwardingSysctl);
    }

    public PodNetworkOptions Options { get; }

    public PodNetwork Network { get; }

    public static TestBed Create(int prefixLength = 24) => new(prefixLength);

    /// <summary>Makes a sandbox for a new pod through <paramref name="network"/> (by default the bed's own).</summary>
    public Task<SandboxInfo> CreateSandboxAsync(string podName, PodNetwork? network = null) =>
        (network ?? Network).CreateSandboxAsync(NewPodUid(), podName, "default", CancellationToken.None);

    /// <summary>A uid whose sandbox, if any gets made, the bed will clean up.</summary>
    public string NewPodUid()
    {
        var uid = Guid.NewGuid().ToString();
        _podUids.Add(uid);
        return uid;
    }

    /// <summary>The bed's chain in the node-wide masquerade table, if a test installed it.</summary>
    public string MasqueradeChain => "masq-" + Options.BridgeName.Replace('-', '_');

    public string NamespaceOf(string podUid) => Options.NamespacePrefix + Guid.Parse(podUid).ToString("N")[..12];

    public async ValueTask DisposeAsync()
    {
        foreach (var uid in _podUids)
        {
            try
            {
                await Network.DeleteSandboxAsync(uid, CancellationToken.None);
            }
            catch (NetworkCommandException)
            {
                await Host.RunAsync("ip", "netns", "delete", NamespaceOf(uid));
            }
        }

        await Network.RecoverPoolAsync(CancellationToken.None);
        await Host.RunAsync("ip", "link", "delete", Options.BridgeName);
        await Host.RunAsync("nft", "delete", "chain", "ip", "gantry-nat", MasqueradeChain);
        if (Directory.Exists(Options.StateDirectory))
        {
            Directory.Delete(Options.StateDirectory, recursive: true);
        }

        await File.WriteAllTextAsync(ForwardingSysctl, _forwarding);
    }
}
