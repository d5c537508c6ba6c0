namespace Gantry.Bench.Measurement;

/// <summary>One row of the summary.</summary>
/// <param name="ServerCpu">Cores the server kept busy on average during the run (CPU seconds / wall seconds).</param>
/// <param name="ClientCpu">Cores the bench itself used: on a small machine it competes with the server.</param>
/// <param name="OtherCpu">Cores used by everything else on the machine during the run.</param>
internal sealed record BenchResult(
    string Scenario,
    string Parameters,
    LatencyStats Latency,
    double PerSecond,
    int Errors,
    double ServerCpu,
    double ClientCpu,
    double OtherCpu,
    string Notes);
