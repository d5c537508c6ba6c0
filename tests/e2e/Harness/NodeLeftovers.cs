using System.Text.Json.Nodes;

namespace Gantry.E2E.Harness;

/// <summary>
/// What the run's pods hold on the host: each sandbox's network namespace and the pod's cgroup, read from the agent's
/// sandbox records before <c>gantry reset</c> so that the fixture can check afterwards that none is left.
/// </summary>
internal sealed record NodeLeftovers(IReadOnlyList<string> Paths)
{
    public static NodeLeftovers Collect(string dataDirectory)
    {
        var records = Path.Combine(dataDirectory, "agent", "network", "sandboxes");
        var paths = new List<string>();
        if (Directory.Exists(records))
        {
            foreach (var file in Directory.EnumerateFiles(records, "*.json"))
            {
                if (JsonNode.Parse(File.ReadAllText(file))?["networkNamespace"]?.GetValue<string>() is { Length: > 0 } name)
                {
                    paths.Add(Path.Combine("/var/run/netns", name));
                }

                paths.Add(Path.Combine("/sys/fs/cgroup/pids/gantry/pods", Path.GetFileNameWithoutExtension(file)));
            }
        }

        return new NodeLeftovers(paths);
    }

    /// <summary>Those still on the host.</summary>
    public IReadOnlyList<string> Remaining() => Paths.Where(p => File.Exists(p) || Directory.Exists(p)).ToList();
}
