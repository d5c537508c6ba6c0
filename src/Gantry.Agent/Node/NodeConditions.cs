using System.Globalization;
using k8s.Models;

namespace Gantry.Agent.Node;

/// <summary>
/// The node's conditions as the kubelet words them, from the machine's own readings: memory,
/// disk and pid pressure use the kubelet's default hard eviction thresholds.
/// </summary>
public static class NodeConditions
{
    private const long MemoryAvailableThresholdKiB = 100 * 1024;
    private const double DiskAvailableThreshold = 0.10;
    private const double PidThreshold = 0.90;

    public static List<V1NodeCondition> Read(string stateDirectory, DateTime now, IList<V1NodeCondition>? previous)
    {
        var memoryPressure = MemoryAvailableKiB() < MemoryAvailableThresholdKiB;
        var drive = new DriveInfo(Path.GetFullPath(stateDirectory));
        var diskPressure = (double)drive.AvailableFreeSpace / drive.TotalSize < DiskAvailableThreshold;
        var pidPressure = PidUsage() > PidThreshold;
        return
        [
            Condition("Ready", true, "KubeletReady", "kubelet is posting ready status", now, previous),
            Condition("MemoryPressure", memoryPressure,
                memoryPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
                memoryPressure ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available", now, previous),
            Condition("DiskPressure", diskPressure,
                diskPressure ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
                diskPressure ? "kubelet has disk pressure" : "kubelet has no disk pressure", now, previous),
            Condition("PIDPressure", pidPressure,
                pidPressure ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
                pidPressure ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available", now, previous),
        ];
    }

    /// <summary>lastTransitionTime moves only when the status flips; lastHeartbeatTime on every report.</summary>
    private static V1NodeCondition Condition(string type, bool status, string reason, string message, DateTime now, IList<V1NodeCondition>? previous)
    {
        var text = status ? "True" : "False";
        var before = previous?.FirstOrDefault(c => c.Type == type);
        var transition = before is not null && before.Status == text ? before.LastTransitionTime ?? now : now;
        return new V1NodeCondition
        {
            Type = type,
            Status = text,
            LastHeartbeatTime = now,
            LastTransitionTime = transition,
            Reason = reason,
            Message = message,
        };
    }

    private static long MemoryAvailableKiB()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return long.MaxValue;
    }

    private static double PidUsage()
    {
        var max = double.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture);
        var used = Directory.GetDirectories("/proc").Count(d => char.IsDigit(Path.GetFileName(d)[0]));
        return used / max;
    }
}
