using k8s.Models;

namespace Gantry.Tests.Registry.Quota;

/// <summary>Pods, containers and quotas for the quota tests, their resource lists written as kube prints them (<c>cpu=100m,memory=64Mi</c>).</summary>
internal static class QuotaObjects
{
    public static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary><c>cpu=100m,memory=64Mi</c> as a resource list; null or empty for none.</summary>
    public static Dictionary<string, ResourceQuantity>? List(string? amounts) =>
        string.IsNullOrEmpty(amounts)
            ? null
            : amounts.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => new ResourceQuantity(p[1]), StringComparer.Ordinal);

    public static V1Container Container(string name, string? requests = null, string? limits = null) => new()
    {
        Name = name,
        Image = "busybox",
        Resources = requests is null && limits is null ? null : new V1ResourceRequirements { Requests = List(requests), Limits = List(limits) },
    };

    public static V1Pod Pod(string name, params V1Container[] containers) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodSpec { Containers = containers.Length > 0 ? [.. containers] : [Container("a")] },
    };

    /// <summary>A quota as admission judges it: by its status, as the controller last wrote it.</summary>
    public static V1ResourceQuota CountedQuota(string name, string hard, string? used) => new()
    {
        ApiVersion = "v1",
        Kind = "ResourceQuota",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ResourceQuotaSpec { Hard = List(hard) },
        Status = new V1ResourceQuotaStatus { Hard = List(hard), Used = List(used) },
    };

    /// <summary>A LimitRange item of <paramref name="type"/>, each list written as <c>cpu=1,memory=1Gi</c>.</summary>
    public static V1LimitRangeItem Item(
        string type, string? max = null, string? min = null, string? defaults = null, string? defaultRequest = null, string? ratio = null) => new()
        {
            Type = type,
            Max = List(max),
            Min = List(min),
            DefaultProperty = List(defaults),
            DefaultRequest = List(defaultRequest),
            MaxLimitRequestRatio = List(ratio),
        };
}
