using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Server.Kernel;
using k8s.Models;

namespace Gantry.Server.Mesos;

/// <summary>
/// Mesos' scalar resources as the kernel counts them: <c>cpus</c> (cores), <c>mem</c> and <c>disk</c> (megabytes) and
/// <c>gpus</c>, against cpu millicores, memory and ephemeral-storage bytes and <c>nvidia.com/gpu</c>. Gantry offers no
/// ports: its ledger does not keep them.
/// </summary>
public static class MesosResources
{
    public const string Gpu = "nvidia.com/gpu";

    private const double Megabyte = 1024 * 1024;

    /// <summary>The resources as a list of scalars, allocated to <paramref name="role"/>, or unallocated when it is null.</summary>
    public static JsonArray ToJson(ResourceVector resources, string? role)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var list = new JsonArray
        {
            Scalar("cpus", resources.CpuMillis / 1000.0, role),
            Scalar("mem", Math.Floor(resources.MemoryBytes / Megabyte), role),
            Scalar("disk", Math.Floor(resources.EphemeralStorageBytes / Megabyte), role),
        };
        if (resources.Extended.TryGetValue(Gpu, out var gpus) && gpus > 0)
        {
            list.Add(Scalar("gpus", gpus, role));
        }

        return list;
    }

    /// <summary>Reads a task's resources; the error, in Mesos' words, names the first one Gantry cannot run a task with.</summary>
    public static TaskResources Parse(JsonArray? resources, out string? error)
    {
        error = null;
        double cpus = 0, mem = 0, disk = 0, gpus = 0;
        foreach (var resource in resources ?? [])
        {
            var name = resource?["name"]?.GetValue<string>() ?? "";
            var type = resource?["type"]?.GetValue<string>() ?? "SCALAR";
            if (type != "SCALAR" || name is not ("cpus" or "mem" or "disk" or "gpus"))
            {
                error = $"Resource '{name}' of type {type} is not offered by Gantry (it offers the scalars cpus, mem, disk and gpus)";
                return TaskResources.None;
            }

            var value = MesosJson.Number(resource?["scalar"]?["value"]) ?? double.NaN;
            if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
            {
                error = $"Invalid scalar value for resource '{name}'";
                return TaskResources.None;
            }

            switch (name)
            {
                case "cpus": cpus += value; break;
                case "mem": mem += value; break;
                case "disk": disk += value; break;
                default: gpus += value; break;
            }
        }

        if (gpus != Math.Floor(gpus))
        {
            error = "The 'gpus' resource must be a whole number";
            return TaskResources.None;
        }

        return new TaskResources(cpus, mem, disk, gpus);
    }

    private static JsonObject Scalar(string name, double value, string? role)
    {
        var scalar = new JsonObject
        {
            ["name"] = name,
            ["type"] = "SCALAR",
            ["scalar"] = new JsonObject { ["value"] = value },
            ["role"] = "*",
        };
        if (role is not null)
        {
            scalar["allocation_info"] = new JsonObject { ["role"] = role };
        }

        return scalar;
    }
}

/// <summary>What a task asks for, in Mesos' units.</summary>
public sealed record TaskResources(double Cpus, double MemMegabytes, double DiskMegabytes, double Gpus)
{
    public static TaskResources None { get; } = new(0, 0, 0, 0);

    /// <summary>The container's requests (and, as Mesos enforces memory and gpus, limits) in Kubernetes' quantities.</summary>
    public (Dictionary<string, ResourceQuantity> Requests, Dictionary<string, ResourceQuantity> Limits) ToQuantities()
    {
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var millis = (long)Math.Ceiling(Cpus * 1000);
        if (millis > 0)
        {
            requests[ResourceVector.Cpu] = new ResourceQuantity(millis.ToString(CultureInfo.InvariantCulture) + "m");
        }

        var memory = (long)Math.Ceiling(MemMegabytes * Megabytes);
        if (memory > 0)
        {
            requests[ResourceVector.Memory] = limits[ResourceVector.Memory] = Bytes(memory);
        }

        var disk = (long)Math.Ceiling(DiskMegabytes * Megabytes);
        if (disk > 0)
        {
            requests[ResourceVector.EphemeralStorage] = Bytes(disk);
        }

        if (Gpus > 0)
        {
            requests[MesosResources.Gpu] = limits[MesosResources.Gpu] = new ResourceQuantity(((long)Gpus).ToString(CultureInfo.InvariantCulture));
        }

        return (requests, limits);
    }

    private const double Megabytes = 1024 * 1024;

    /// <summary>Whole megabytes as Mesos counts them read as kubectl prints them (<c>64Mi</c>), other amounts in bytes.</summary>
    private static ResourceQuantity Bytes(long bytes) =>
        new(bytes % (long)Megabytes == 0
            ? (bytes / (long)Megabytes).ToString(CultureInfo.InvariantCulture) + "Mi"
            : bytes.ToString(CultureInfo.InvariantCulture));
}
