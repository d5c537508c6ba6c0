using Gantry.Core.Metrics;

namespace Gantry.Server.Api.Metrics;

/// <summary>Where the resource metrics API gets a node's usage: its agent, through the <see cref="NodeProxy"/>.</summary>
public interface INodeStatsSource
{
    /// <summary>The node's summary, or null when it has none to give (no agent, or one that does not answer).</summary>
    Task<StatsSummary?> StatsSummaryAsync(string nodeName, CancellationToken cancellationToken);
}
