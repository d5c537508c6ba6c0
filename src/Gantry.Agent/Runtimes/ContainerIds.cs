using System.Security.Cryptography;

namespace Gantry.Agent.Runtimes;

/// <summary>Container IDs: 16 random hex digits, unique on a node, valid as runc IDs, cgroup and file names.</summary>
internal static class ContainerIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
