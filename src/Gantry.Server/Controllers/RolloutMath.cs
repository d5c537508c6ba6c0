using System.Globalization;
using k8s;
using k8s.Models;

namespace Gantry.Server.Controllers;

/// <summary>
/// The rollout arithmetic of Kubernetes' deployment controller (deployment_util.go, rolling.go,
/// sync.go), as pure functions of the deployment and its replica sets: how far a rolling update may
/// surge above and dip below the desired count, how big the new replica set may grow, which old
/// replica sets shrink by how much, and how a resize spreads proportionally over replica sets.
/// </summary>
public static class RolloutMath
{
    public static bool IsRollingUpdate(V1Deployment d) => d.Spec?.Strategy?.Type is null or "RollingUpdate";

    public static int Desired(V1Deployment d) => d.Spec?.Replicas ?? 1;

    public static int SpecReplicas(V1ReplicaSet? rs) => rs?.Spec?.Replicas ?? 0;

    /// <summary>An integer, or a percentage of <paramref name="total"/> rounded up or down (<c>GetScaledValueFromIntOrPercent</c>).</summary>
    public static int ScaledValue(IntOrString? value, int total, bool roundUp)
    {
        var text = value?.Value ?? "0";
        if (text.EndsWith('%'))
        {
            var percent = int.Parse(text[..^1], CultureInfo.InvariantCulture);
            var scaled = (double)percent * total / 100;
            return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
        }

        return int.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>maxSurge rounds up, maxUnavailable down; both zero would deadlock, so unavailable becomes one.</summary>
    public static (int MaxSurge, int MaxUnavailable) ResolveFenceposts(IntOrString? maxSurge, IntOrString? maxUnavailable, int desired)
    {
        var surge = ScaledValue(maxSurge, desired, roundUp: true);
        var unavailable = ScaledValue(maxUnavailable, desired, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    public static int MaxSurge(V1Deployment d) =>
        IsRollingUpdate(d) ? ResolveFenceposts(d.Spec.Strategy?.RollingUpdate?.MaxSurge, d.Spec.Strategy?.RollingUpdate?.MaxUnavailable, Desired(d)).MaxSurge : 0;

    /// <summary>Never more than the desired count itself.</summary>
    public static int MaxUnavailable(V1Deployment d)
    {
        if (!IsRollingUpdate(d) || Desired(d) == 0)
        {
            return 0;
        }

        var (_, unavailable) = ResolveFenceposts(d.Spec.Strategy?.RollingUpdate?.MaxSurge, d.Spec.Strategy?.RollingUpdate?.MaxUnavailable, Desired(d));
        return Math.Min(unavailable, Desired(d));
    }

    /// <summary>The size the new replica set may have now (<c>NewRSNewReplicas</c>).</summary>
    public static int NewReplicaSetReplicas(V1Deployment d, IReadOnlyCollection<V1ReplicaSet> all, V1ReplicaSet newRs)
    {
        if (!IsRollingUpdate(d))
        {
            return Desired(d);
        }

        var current = SpecReplicas(newRs);
        if (current >= Desired(d))
        {
            return current;
        }

        var maxTotal = Desired(d) + MaxSurge(d);
        var podCount = all.Sum(SpecReplicas);
        if (podCount >= maxTotal)
        {
            return current;
        }

        return current + Math.Min(maxTotal - podCount, Desired(d) - current);
    }

    /// <summary>
    /// The new sizes of old replica sets in one step of a rolling update (<c>reconcileOldReplicaSets</c>):
    /// first unhealthy replicas go, within what availability allows, then available ones down to
    /// <c>desired - maxUnavailable</c> available pods. Oldest replica sets shrink first.
    /// </summary>
    public static Dictionary<string, int> ScaleDownOld(V1Deployment d, V1ReplicaSet? newRs, IReadOnlyList<V1ReplicaSet> oldRss)
    {
        var sizes = oldRss.ToDictionary(rs => rs.Name(), SpecReplicas);
        if (sizes.Values.Sum() == 0)
        {
            return sizes;
        }

        var all = newRs is null ? oldRss.ToList() : [.. oldRss, newRs];
        var allPods = all.Sum(SpecReplicas);
        var minAvailable = Desired(d) - MaxUnavailable(d);
        var newUnavailable = SpecReplicas(newRs) - (newRs?.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return sizes;
        }

        var oldest = ByCreation(oldRss);
        var cleaned = 0;
        foreach (var rs in oldest)
        {
            if (cleaned >= maxScaledDown)
            {
                break;
            }

            var size = sizes[rs.Name()];
            var available = rs.Status?.AvailableReplicas ?? 0;
            if (size == 0 || size == available)
            {
                continue;
            }

            var down = Math.Min(maxScaledDown - cleaned, size - available);
            sizes[rs.Name()] = size - down;
            cleaned += down;
        }

        var availablePods = all.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        var toScaleDown = availablePods - minAvailable;
        foreach (var rs in oldest)
        {
            if (toScaleDown <= 0)
            {
                break;
            }

            var size = sizes[rs.Name()];
            if (size == 0)
            {
                continue;
            }

            var down = Math.Min(size, toScaleDown);
            sizes[rs.Name()] = size - down;
            toScaleDown -= down;
        }

        return sizes;
    }

    /// <summary>The only replica set with replicas, or the newest when none has any; null when several have (<c>FindActiveOrLatest</c>).</summary>
    public static V1ReplicaSet? FindActiveOrLatest(V1ReplicaSet? newRs, IReadOnlyList<V1ReplicaSet> oldRss)
    {
        if (newRs is null && oldRss.Count == 0)
        {
            return null;
        }

        var newestFirst = ByCreation(oldRss).AsEnumerable().Reverse().ToList();
        var all = (newRs is null ? newestFirst : [.. newestFirst, newRs]).Where(rs => SpecReplicas(rs) > 0).ToList();
        return all.Count switch
        {
            0 => newRs ?? newestFirst[0],
            1 => all[0],
            _ => null,
        };
    }

    /// <summary>The new replica set has all desired replicas, knows it, and all are available.</summary>
    public static bool IsSaturated(V1Deployment d, V1ReplicaSet? rs) =>
        rs is not null && SpecReplicas(rs) == Desired(d) && DeploymentRevisions.DesiredReplicasAnnotation(rs) == Desired(d)
        && (rs.Status?.AvailableReplicas ?? 0) == Desired(d);

    /// <summary>
    /// The sizes after a resize during a rollout (<c>scale</c>'s proportional case): the difference
    /// between the allowed total (desired + maxSurge) and the current one is spread over the active
    /// replica sets in proportion to their size, as recorded by their max-replicas annotation; the
    /// rounding leftover goes to the largest. Replica sets not listed keep their size.
    /// </summary>
    public static Dictionary<string, int> ProportionalSizes(V1Deployment d, IReadOnlyList<V1ReplicaSet> all)
    {
        var active = all.Where(rs => SpecReplicas(rs) > 0).ToList();
        var sizes = active.ToDictionary(rs => rs.Name(), SpecReplicas);
        var allowed = Desired(d) + MaxSurge(d);
        var toAdd = allowed - active.Sum(SpecReplicas);
        if (toAdd == 0 || active.Count == 0)
        {
            return sizes;
        }

        // Growing favours the largest, newest; shrinking the largest, oldest.
        var ordered = toAdd > 0
            ? active.OrderByDescending(SpecReplicas).ThenByDescending(rs => rs.Metadata.CreationTimestamp).ToList()
            : active.OrderByDescending(SpecReplicas).ThenBy(rs => rs.Metadata.CreationTimestamp).ToList();
        var added = 0;
        foreach (var rs in ordered)
        {
            var proportion = Proportion(d, rs, toAdd, added);
            sizes[rs.Name()] = SpecReplicas(rs) + proportion;
            added += proportion;
        }

        var first = ordered[0].Name();
        sizes[first] = Math.Max(0, sizes[first] + toAdd - added);
        foreach (var name in sizes.Keys.ToList())
        {
            sizes[name] = Math.Max(0, sizes[name]);
        }

        return sizes;
    }

    private static int Proportion(V1Deployment d, V1ReplicaSet rs, int toAdd, int added)
    {
        if (SpecReplicas(rs) == 0 || toAdd == 0 || toAdd == added)
        {
            return 0;
        }

        var fraction = Fraction(d, rs);
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    private static int Fraction(V1Deployment d, V1ReplicaSet rs)
    {
        if (Desired(d) == 0)
        {
            return -SpecReplicas(rs);
        }

        var deploymentReplicas = Desired(d) + MaxSurge(d);
        var annotated = DeploymentRevisions.MaxReplicasAnnotation(rs) ?? d.Status?.Replicas ?? 0;
        if (annotated == 0)
        {
            return 0;
        }

        var newSize = (double)SpecReplicas(rs) * deploymentReplicas / annotated;
        return (int)Math.Round(newSize, MidpointRounding.AwayFromZero) - SpecReplicas(rs);
    }

    /// <summary>Oldest first, then by name (<c>ReplicaSetsByCreationTimestamp</c>).</summary>
    public static List<V1ReplicaSet> ByCreation(IEnumerable<V1ReplicaSet> rss) =>
        [.. rss.OrderBy(rs => rs.Metadata.CreationTimestamp).ThenBy(rs => rs.Name(), StringComparer.Ordinal)];
}
