using System.Diagnostics;
using Gantry.Server.Scheduling;

namespace Gantry.Bench.Scheduling;

/// <summary>
/// Wraps one scheduling plugin and adds up the time spent in its PreFilter, Filter and Score, so
/// the framework run can say which plugin the scheduler's time goes to.
/// </summary>
internal sealed class TimedPlugin(object inner) : IPreFilterPlugin, IFilterPlugin, IScorePlugin
{
    public string Name { get; } = inner switch
    {
        IFilterPlugin filter => filter.Name,
        IScorePlugin score => score.Name,
        IPreFilterPlugin preFilter => preFilter.Name,
        _ => throw new ArgumentException("not a scheduling plugin", nameof(inner)),
    };

    public int Weight => (inner as IScorePlugin)?.Weight ?? 0;

    public long PreFilterTicks { get; private set; }

    public long FilterTicks { get; private set; }

    public long ScoreTicks { get; private set; }

    public void PreFilter(PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        if (inner is IPreFilterPlugin plugin)
        {
            var start = Stopwatch.GetTimestamp();
            plugin.PreFilter(pod, nodes);
            PreFilterTicks += Stopwatch.GetTimestamp() - start;
        }
    }

    public IReadOnlyList<string> Filter(PodInfo pod, NodeInfo node)
    {
        var start = Stopwatch.GetTimestamp();
        var reasons = ((IFilterPlugin)inner).Filter(pod, node);
        FilterTicks += Stopwatch.GetTimestamp() - start;
        return reasons;
    }

    public bool SkipsFilter(PodInfo pod) => inner is IFilterPlugin filter && filter.SkipsFilter(pod);

    public bool SkipsScore(PodInfo pod) => inner is IScorePlugin score && score.SkipsScore(pod);

    public int Score(PodInfo pod, NodeInfo node)
    {
        var start = Stopwatch.GetTimestamp();
        var score = ((IScorePlugin)inner).Score(pod, node);
        ScoreTicks += Stopwatch.GetTimestamp() - start;
        return score;
    }
}
