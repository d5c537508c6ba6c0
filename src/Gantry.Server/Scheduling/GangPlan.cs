namespace Gantry.Server.Scheduling;

/// <summary>
/// Where each waiting member of a gang would go, decided together over one copy of the nodes (each
/// placement seeing the ones before it), or why the gang cannot be placed whole.
/// </summary>
public sealed record GangPlan(IReadOnlyList<(PodInfo Pod, string Node)> Placements, string? Refusal)
{
    public static GangPlan Make(Gang gang, IReadOnlyList<PodInfo> waiting, int alreadyBound, IReadOnlyList<NodeInfo> nodes, SchedulingFramework framework)
    {
        if (waiting.Count + alreadyBound < gang.Size)
        {
            return new GangPlan([], $"waiting for gang {gang.Name}: {waiting.Count + alreadyBound} of {gang.Size} pods exist");
        }

        var view = new NodeSnapshot(nodes);
        var placements = new List<(PodInfo, string)>();
        foreach (var member in waiting.Take(gang.Size - alreadyBound))
        {
            var decision = framework.Schedule(member, view);
            if (decision.Node is not { } node)
            {
                return new GangPlan([], $"{decision.Message} Gang {gang.Name} ({gang.Size} pods) cannot be placed as a whole.");
            }

            placements.Add((member, node));
            view.Place(node, member.Pod, member.Requests);
        }

        return new GangPlan(placements, null);
    }
}
