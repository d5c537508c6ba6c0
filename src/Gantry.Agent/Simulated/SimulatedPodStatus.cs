using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Simulated;

/// <summary>
/// The status a simulated node reports for a pod: what the real agent's <see cref="PodStatusBuilder"/>
/// says of a pod whose init containers all completed and whose containers all run, with container
/// IDs of the <c>simulated</c> runtime. Nothing runs; the status says it does.
/// </summary>
public static class SimulatedPodStatus
{
    public const string RuntimeName = "simulated";

    public static V1PodStatus Running(V1Pod pod, string podIp, string hostIp, DateTime now)
    {
        var uid = pod.Uid();
        var started = new DateTimeOffset(now, TimeSpan.Zero);
        var init = (pod.Spec.InitContainers ?? []).Select(c => Record(pod, c.Name, new ContainerExited(0, ExitReason.Completed, started, started))).ToList();
        var containers = pod.Spec.Containers.Select(c => Record(pod, c.Name, new ContainerRunning(0, started))).ToList();
        var ip = pod.Spec.HostNetwork == true ? hostIp : podIp;
        return PodStatusBuilder.Build(pod, init, containers, ip, hostIp, pod.Status?.StartTime ?? now, now);

        ContainerRecord Record(V1Pod p, string name, ContainerStatus status) => new(name)
        {
            Current = new ContainerHandle($"{uid}-{name}", RuntimeName, uid, p.Name(), p.Namespace(), name, started),
            Status = status,
        };
    }
}
