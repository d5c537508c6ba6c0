using System.Globalization;
using System.Text;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The completion indexes of a Job with <c>completionMode: Indexed</c>, as kube's job controller gives them: each pod
/// carries its index in an annotation and a label, is named <c>&lt;job&gt;-&lt;index&gt;-</c> with a random suffix and
/// has the hostname <c>&lt;job&gt;-&lt;index&gt;</c>, and its containers read it from <c>JOB_COMPLETION_INDEX</c>.
/// </summary>
public static class JobCompletionIndex
{
    public const string Key = "batch.kubernetes.io/job-completion-index";

    public const string EnvironmentVariable = "JOB_COMPLETION_INDEX";

    public static bool IsIndexed(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Spec.CompletionMode == "Indexed";
    }

    /// <summary>The pod's index, from its annotation; null when it has none or one outside [0, completions).</summary>
    public static int? Of(V1Pod pod, int completions)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata.Annotations?.TryGetValue(Key, out var text) == true &&
               int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < completions
            ? index
            : null;
    }

    /// <summary>Makes <paramref name="pod"/>, built from the job's template, the pod of <paramref name="index"/>.</summary>
    public static void Assign(V1Pod pod, string job, int index)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var text = index.ToString(CultureInfo.InvariantCulture);
        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[Key] = text;
        pod.Metadata.Labels ??= new Dictionary<string, string>();
        pod.Metadata.Labels[Key] = text;
        pod.Metadata.GenerateName = $"{job}-{text}-";
        if (string.IsNullOrEmpty(pod.Spec.Hostname))
        {
            pod.Spec.Hostname = $"{job}-{text}";
        }

        foreach (var container in (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []))
        {
            if (container.Env?.Any(e => e.Name == EnvironmentVariable) == true)
            {
                continue;
            }

            container.Env ??= [];
            container.Env.Add(new V1EnvVar
            {
                Name = EnvironmentVariable,
                ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = $"metadata.annotations['{Key}']" } },
            });
        }
    }

    /// <summary>
    /// The indexes as kube writes <c>status.completedIndexes</c> and <c>status.failedIndexes</c>: ascending, three or more
    /// consecutive ones as a range and two as a pair ("0-2,5,6,8"); null for none.
    /// </summary>
    public static string? Format(IEnumerable<int> indexes)
    {
        var sorted = indexes.Distinct().Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        for (var i = 0; i < sorted.Count;)
        {
            var end = i;
            while (end + 1 < sorted.Count && sorted[end + 1] == sorted[end] + 1)
            {
                end++;
            }

            text.Append(text.Length == 0 ? "" : ",").Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (end > i)
            {
                text.Append(end == i + 1 ? ',' : '-').Append(sorted[end].ToString(CultureInfo.InvariantCulture));
            }

            i = end + 1;
        }

        return text.ToString();
    }

    /// <summary>
    /// The indexes that <see cref="Format"/> wrote, below <paramref name="completions"/>, as kube's parseIndexesFromString
    /// reads them: a malformed interval is skipped, and so is everything from the first one at or past the completions
    /// (which can be lowered on an Indexed job).
    /// </summary>
    public static SortedSet<int> Parse(string? text, int completions)
    {
        var indexes = new SortedSet<int>();
        foreach (var interval in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var limits = interval.Split('-');
            if (!int.TryParse(limits[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                continue;
            }

            if (first >= completions)
            {
                break;
            }

            var last = first;
            if (limits.Length > 1 && !int.TryParse(limits[1], NumberStyles.None, CultureInfo.InvariantCulture, out last))
            {
                continue;
            }

            for (var index = first; index <= Math.Min(last, completions - 1); index++)
            {
                indexes.Add(index);
            }
        }

        return indexes;
    }
}
