using k8s.Models;

namespace Gantry.Tests.Controllers.Endpoints;

/// <summary>Services and pods as the endpoints controllers see them.</summary>
internal static class EndpointTestObjects
{
    public static V1Service Service(string name = "web", object? targetPort = null, bool publishNotReady = false, string? clusterIp = "10.96.0.10") => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "svc-uid" },
        Spec = new V1ServiceSpec
        {
            ClusterIP = clusterIp,
            Selector = new Dictionary<string, string> { ["app"] = name },
            PublishNotReadyAddresses = publishNotReady,
            Ports = [new V1ServicePort { Port = 80, Protocol = "TCP", TargetPort = targetPort is string s ? s : (int)(targetPort ?? 8080) }],
        },
    };

    public static V1Pod Pod(string name, string? ip, bool ready = true, string app = "web", int? httpPort = null, string phase = "Running", bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = "uid-" + name,
            Labels = new Dictionary<string, string> { ["app"] = app },
            DeletionTimestamp = deleting ? new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc) : null,
        },
        Spec = new V1PodSpec
        {
            NodeName = "node-1",
            Containers =
            [
                new V1Container
                {
                    Name = "main",
                    Image = "busybox",
                    Ports = httpPort is { } port ? [new V1ContainerPort { Name = "http", ContainerPort = port, Protocol = "TCP" }] : null,
                },
            ],
        },
        Status = new V1PodStatus
        {
            Phase = phase,
            PodIP = ip,
            PodIPs = ip is null ? null : [new V1PodIP { Ip = ip }],
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };
}
