namespace Gantry.Server.Scheduling;

/// <summary>
/// The PreFilter extension point: work done once per pod over the whole cluster (counting pods by
/// topology domain) before Filter and Score look at single nodes. State goes into <see cref="PodInfo.SetState"/>.
/// </summary>
public interface IPreFilterPlugin
{
    string Name { get; }

    void PreFilter(PodInfo pod, IReadOnlyList<NodeInfo> nodes);
}
