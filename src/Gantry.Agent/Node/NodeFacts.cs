using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using k8s.Models;

namespace Gantry.Agent.Node;

/// <summary>
/// What the node reports about itself, read from the machine: capacity (cpu, memory,
/// ephemeral storage, pods, NVIDIA GPUs), addresses, standard labels and nodeInfo.
/// </summary>
public sealed record NodeFacts(
    IDictionary<string, ResourceQuantity> Capacity,
    IList<V1NodeAddress> Addresses,
    IDictionary<string, string> Labels,
    V1NodeSystemInfo Info)
{
    public const string Version = "v1.32.0-gantry";
    private const int MaxPods = 110;

    public static NodeFacts Read(string nodeName, string stateDirectory, IPAddress? nodeIp = null)
    {
        var capacity = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
            ["memory"] = new($"{MemoryKiB()}Ki"),
            ["ephemeral-storage"] = new($"{new DriveInfo(Path.GetFullPath(stateDirectory)).TotalSize / 1024}Ki"),
            ["pods"] = new(MaxPods.ToString(CultureInfo.InvariantCulture)),
        };
        var gpus = NvidiaGpus.Count();
        if (gpus > 0)
        {
            capacity["nvidia.com/gpu"] = new(gpus.ToString(CultureInfo.InvariantCulture));
        }

        var addresses = new List<V1NodeAddress>();
        if ((nodeIp ?? InternalAddress()) is { } ip)
        {
            addresses.Add(new V1NodeAddress { Address = ip.ToString(), Type = "InternalIP" });
        }

        addresses.Add(new V1NodeAddress { Address = nodeName, Type = "Hostname" });
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.X64 => "amd64",
            var other => other.ToString().ToLowerInvariant(),
        };
        var labels = new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = nodeName,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = arch,
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = arch,
        };
        var info = new V1NodeSystemInfo
        {
            Architecture = arch,
            BootID = ReadTrimmed("/proc/sys/kernel/random/boot_id"),
            MachineID = ReadTrimmed("/etc/machine-id"),
            SystemUUID = ReadTrimmed("/sys/class/dmi/id/product_uuid") is { Length: > 0 } uuid ? uuid : ReadTrimmed("/etc/machine-id"),
            KernelVersion = ReadTrimmed("/proc/sys/kernel/osrelease"),
            OsImage = OsImage(),
            OperatingSystem = "linux",
            ContainerRuntimeVersion = "gantry://" + Version.TrimStart('v'),
            KubeletVersion = Version,
            KubeProxyVersion = Version,
        };
        return new NodeFacts(capacity, addresses, labels, info);
    }

    private static long MemoryKiB()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>The first non-loopback IPv4 address of an interface that is up: the node's address for other nodes.</summary>
    public static IPAddress? InternalAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    private static string OsImage()
    {
        const string prefix = "PRETTY_NAME=";
        var line = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            : null;
        return line is null ? "Linux" : line[prefix.Length..].Trim('"');
    }

    private static string ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "";
}
