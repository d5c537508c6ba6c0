using System.Globalization;
using k8s.Models;

namespace Gantry.Bench.Scheduling;

/// <summary>
/// The pods the scheduling bench places: small requests (10m cpu, 16Mi) so that capacity is never
/// the limit, and, with anti-affinity, scheduler_perf's SchedulingPodAntiAffinity shape: a required
/// podAntiAffinity term on <c>kubernetes.io/hostname</c> against the pods sharing its group label.
/// </summary>
internal static class BenchPods
{
    public const string Namespace = "bench-scheduling";

    public static V1Pod Create(int index, SchedulingOptions options)
    {
        var group = "g" + (index % options.Groups).ToString(CultureInfo.InvariantCulture);
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = "sched-" + index.ToString(CultureInfo.InvariantCulture),
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { ["bench"] = "scheduling", ["group"] = group },
            },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "app",
                        Image = "registry.k8s.io/pause:3.10",
                        Resources = new V1ResourceRequirements
                        {
                            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
                        },
                    },
                ],
            },
        };
        if (options.AntiAffinity)
        {
            pod.Spec.Affinity = new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution =
                    [
                        new V1PodAffinityTerm
                        {
                            TopologyKey = "kubernetes.io/hostname",
                            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["group"] = group } },
                        },
                    ],
                },
            };
        }

        return pod;
    }
}
