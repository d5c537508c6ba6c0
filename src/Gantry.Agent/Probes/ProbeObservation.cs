namespace Gantry.Agent.Probes;

/// <summary>What a probe worker knows of its container instance at a tick.</summary>
/// <param name="Running">Running now; false before it starts and after it exits.</param>
/// <param name="Exited">Exited (final for this instance).</param>
/// <param name="StartedAt">When it started running, which the initial delay counts from.</param>
/// <param name="Started">Its startup probe has succeeded, or it has none.</param>
public sealed record ProbeObservation(bool Running, bool Exited, DateTimeOffset? StartedAt, bool Started);
