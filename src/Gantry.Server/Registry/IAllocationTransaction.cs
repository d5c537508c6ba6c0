namespace Gantry.Server.Registry;

/// <summary>
/// What a write reserved before it reached the store (a Service's cluster IP, its node ports), as the
/// apiserver's service REST storage holds it: <see cref="Commit"/> once the write is durable (which
/// also frees what the old object held and the new one no longer does), <see cref="Revert"/> when it
/// failed (which frees what was reserved and keeps what the old object held).
/// </summary>
public interface IAllocationTransaction
{
    void Commit();

    void Revert();
}
