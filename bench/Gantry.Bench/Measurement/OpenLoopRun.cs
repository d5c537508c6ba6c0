namespace Gantry.Bench.Measurement;

/// <param name="Run">Latency from the scheduled send time: what a user at that rate experiences.</param>
/// <param name="ServiceTime">Latency from the actual send: the server's (and client stack's) share.</param>
/// <param name="SendLag">How late the bench itself sent, included in <paramref name="Run"/>.</param>
internal sealed record OpenLoopRun(LoadRun Run, LatencyStats ServiceTime, LatencyStats SendLag);
