using System.Security.Cryptography;
using System.Text;

namespace Gantry.Agent.Cleanup;

/// <summary>
/// The host's list of agent state directories, one file each under <c>/run/gantry/agents</c>, so that what an agent
/// made on the host (network namespaces above all) can be told from what a cluster whose state directory is gone
/// left behind. An agent adds itself when it starts; <c>gantry reset</c> removes it. Being under <c>/run</c>, the
/// list goes at reboot, as do the namespaces it vouches for.
/// </summary>
public sealed class AgentRegistry(string directory)
{
    /// <summary>The host's registry.</summary>
    public static AgentRegistry Host { get; } = new("/run/gantry/agents");

    /// <summary>Records <paramref name="stateDirectory"/> (an absolute path); idempotent.</summary>
    public void Add(string stateDirectory)
    {
        Directory.CreateDirectory(directory);
        var path = EntryPath(stateDirectory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, stateDirectory);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Forgets <paramref name="stateDirectory"/>; idempotent.</summary>
    public void Remove(string stateDirectory)
    {
        if (Directory.Exists(directory))
        {
            File.Delete(EntryPath(stateDirectory));
        }
    }

    /// <summary>The state directories recorded, whether or not they still exist.</summary>
    public IReadOnlyList<string> StateDirectories() =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Where(p => !p.EndsWith(".tmp", StringComparison.Ordinal))
                .Select(p => File.ReadAllText(p).Trim()).Where(p => p.Length > 0).ToList()
            : [];

    private string EntryPath(string stateDirectory)
    {
        var full = Path.GetFullPath(stateDirectory);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..16];
        return Path.Combine(directory, hash);
    }
}
