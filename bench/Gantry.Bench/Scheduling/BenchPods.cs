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
        var group = Group(index, options);
        var template = Template(group, options);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = "sched-" + index.ToString(CultureInfo.InvariantCulture),
                NamespaceProperty = Namespace,
                Labels = template.Metadata.Labels,
            },
            Spec = template.Spec,
        };
    }

    /// <summary>
    /// A pod as <see cref="ReplicationControllers"/> would make it, for the scheduler alone: named by its controller,
    /// and owned by it (the controller's uid stands in for the one the server would give it).
    /// </summary>
    public static V1Pod CreateOwned(int index, SchedulingOptions options)
    {
        var pod = Create(index, options);
        var controller = "sched-" + (options.AntiAffinity ? Group(index, options) : "g0");
        pod.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "v1", Kind = "ReplicationController", Name = controller, Uid = controller + "-uid", Controller = true, BlockOwnerDeletion = true },
        ];
        return pod;
    }

    /// <summary>
    /// The replication controllers that create the pods instead (<c>--create rc</c>): with anti-affinity one per
    /// group, so that each group's pods come from the controller that selects them; otherwise one for all.
    /// </summary>
    public static IEnumerable<V1ReplicationController> ReplicationControllers(SchedulingOptions options)
    {
        var controllers = options.AntiAffinity ? options.Groups : 1;
        for (var c = 0; c < controllers; c++)
        {
            var group = "g" + c.ToString(CultureInfo.InvariantCulture);
            var template = Template(group, options);
            yield return new V1ReplicationController
            {
                ApiVersion = "v1",
                Kind = "ReplicationController",
                Metadata = new V1ObjectMeta { Name = "sched-" + group, NamespaceProperty = Namespace },
                Spec = new V1ReplicationControllerSpec
                {
                    Replicas = (options.Pods / controllers) + (c < options.Pods % controllers ? 1 : 0),
                    Selector = template.Metadata.Labels,
                    Template = template,
                },
            };
        }
    }

    private static string Group(int index, SchedulingOptions options) => "g" + (index % options.Groups).ToString(CultureInfo.InvariantCulture);

    private static V1PodTemplateSpec Template(string group, SchedulingOptions options)
    {
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta
            {
                Labels = new Dictionary<string, string> { ["bench"] = "scheduling", ["group"] = group },
            },
            Spec = new V1PodSpec
            {
                // As scheduler_perf's pods, which its API server admits without the ServiceAccount plugin: the simulated
                // nodes run nothing that would read a token.
                AutomountServiceAccountToken = false,
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
            template.Spec.Affinity = new V1Affinity
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

        return template;
    }
}
