using Gantry.Server.Controllers;
using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Scheduling;

/// <summary>
/// A pod being scheduled, with what it requests computed once, and what scores count it as
/// requesting: like kube-scheduler, a pod asking for no cpu or memory counts as 100m and 200Mi,
/// so that best-effort pods still spread.
/// </summary>
public sealed record PodInfo(V1Pod Pod, ResourceVector Requests)
{
    private const long DefaultCpuMillis = 100;
    private const long DefaultMemoryBytes = 200L * 1024 * 1024;

    public ResourceVector ScoringRequests { get; } = Requests with
    {
        CpuMillis = Requests.CpuMillis == 0 ? DefaultCpuMillis : Requests.CpuMillis,
        MemoryBytes = Requests.MemoryBytes == 0 ? DefaultMemoryBytes : Requests.MemoryBytes,
    };

    private readonly Dictionary<string, object> _cycleState = new(StringComparer.Ordinal);

    /// <summary>The uid of the pod's controller (its owner reference with <c>controller: true</c>), if it has one.</summary>
    public string? ControllerUid { get; } = OwnerReferences.ControllerOf(Pod.Metadata)?.Uid;

    /// <summary>Whether a container asks for a host port (the few pods NodePorts has to check).</summary>
    public bool HasHostPorts { get; } = Pod.Spec.Containers?.Any(c => c.Ports?.Any(p => p.HostPort is > 0) == true) == true;

    public static PodInfo Of(V1Pod pod) => new(pod, PodRequests.Of(pod));

    /// <summary>What a plugin's PreFilter computed for this attempt, for its Filter and Score to read.</summary>
    public T State<T>(string plugin) where T : class => (T)_cycleState[plugin];

    public void SetState(string plugin, object state) => _cycleState[plugin] = state;

    /// <summary>
    /// Set by a PreFilter plugin that refuses the pod whatever the node (a claim that does not exist): the search stops
    /// before Filter, and no eviction can help, as kube-scheduler's UnschedulableAndUnresolvable at PreFilter.
    /// </summary>
    public string? PreFilterRejection { get; private set; }

    public void RejectAtPreFilter(string message) => PreFilterRejection ??= message;
}
