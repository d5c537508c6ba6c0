namespace Gantry.Server.Scheduling.Plugins;

/// <summary>A pod asking for host ports fits only nodes where no pod already holds one of them (same protocol and host IP).</summary>
public sealed class NodePorts : IFilterPlugin
{
    public const string Reason = "node(s) didn't have free ports for the requested pod ports";

    public string Name => nameof(NodePorts);

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node)
    {
        if (!pod.HasHostPorts)
        {
            return [];
        }

        var wanted = HostPorts(pod.Pod).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        foreach (var other in node.Pods)
        {
            foreach (var used in HostPorts(other))
            {
                if (wanted.Any(w => w.Port == used.Port && w.Protocol == used.Protocol && (w.Ip == used.Ip || w.Ip == "0.0.0.0" || used.Ip == "0.0.0.0")))
                {
                    return [Reason];
                }
            }
        }

        return [];
    }

    public bool SkipsFilter(PodInfo pod) => !pod.HasHostPorts;

    private static IEnumerable<(int Port, string Protocol, string Ip)> HostPorts(k8s.Models.V1Pod pod) =>
        (pod.Spec.Containers ?? []).SelectMany(c => c.Ports ?? [])
            .Where(p => p.HostPort is > 0)
            .Select(p => (p.HostPort!.Value, p.Protocol ?? "TCP", string.IsNullOrEmpty(p.HostIP) ? "0.0.0.0" : p.HostIP));
}
