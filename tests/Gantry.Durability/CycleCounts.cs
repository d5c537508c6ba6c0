namespace Gantry.Durability;

internal sealed record CycleCounts(int CreatesAcknowledged, int CreatesUnknown, int UpdatesAcknowledged, int UpdatesRejected, int UpdatesUnknown)
{
    public override string ToString() =>
        $"creates {CreatesAcknowledged} acked / {CreatesUnknown} in flight; updates {UpdatesAcknowledged} acked / {UpdatesRejected} conflicts / {UpdatesUnknown} in flight";
}
