namespace Gantry.Agent.Probes;

/// <summary>What a probe worker does at a tick.</summary>
public enum ProbeStep
{
    /// <summary>Nothing this tick: initial delay, gated by the startup probe, or on hold after a failure that kills the container.</summary>
    Wait,

    /// <summary>Run the handler and <see cref="ProbeStateMachine.Record"/> its result.</summary>
    Probe,

    /// <summary>The container instance is finished with (it exited; a new instance gets new workers): the worker ends.</summary>
    Stop,
}
