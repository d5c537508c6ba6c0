using System.Text;
using Gantry.Server.Kernel;
using Gantry.Server.Registry;
using k8s.Models;

namespace Gantry.Server.Mesos;

/// <summary>
/// How a Mesos task is kept: as a pod in the <c>mesos</c> namespace, labelled with its framework
/// (<see cref="PodFramework.Label"/>) and annotated with its task id, which may be any string Mesos allows and so is not
/// the pod's name. The name is the task id made a DNS label, with a random end so that a task id used again after its
/// task ended is a new pod.
/// </summary>
public static class TaskPods
{
    public const string Namespace = "mesos";

    public const string TaskIdAnnotation = "mesos.gantry.io/task-id";

    /// <summary>The TaskInfo's name, which the master's state shows beside the id.</summary>
    public const string TaskNameAnnotation = "mesos.gantry.io/task-name";

    public const string FrameworkNameAnnotation = "mesos.gantry.io/framework-name";

    /// <summary>The framework's failover timeout in seconds, so that a restarted server still tears it down in time.</summary>
    public const string FailoverTimeoutAnnotation = "mesos.gantry.io/failover-timeout";

    /// <summary>Set when the framework acknowledged the task's terminal update: it is not sent again.</summary>
    public const string AcknowledgedAnnotation = "mesos.gantry.io/terminal-update-acknowledged";

    public static string? TaskIdOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata.NamespaceProperty == Namespace && PodFramework.ExternalFrameworkOf(pod) is not null
            && pod.Metadata.Annotations?.TryGetValue(TaskIdAnnotation, out var id) == true
            ? id
            : null;
    }

    public static bool TerminalUpdateAcknowledged(V1Pod pod) =>
        pod.Metadata.Annotations?.ContainsKey(AcknowledgedAnnotation) == true;

    public static TimeSpan FailoverTimeoutOf(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(FailoverTimeoutAnnotation, out var value) == true
        && double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;

    public static string PodName(string taskId)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        var name = new StringBuilder();
        foreach (var c in taskId.ToLowerInvariant())
        {
            var allowed = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (allowed || (name.Length > 0 && name[^1] != '-'))
            {
                name.Append(allowed ? c : '-');
            }

            if (name.Length == 50)
            {
                break;
            }
        }

        var stem = name.ToString().Trim('-');
        return (stem.Length == 0 ? "task" : stem) + "-" + GeneratedNames.RandomSuffix();
    }
}
