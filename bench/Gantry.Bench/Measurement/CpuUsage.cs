namespace Gantry.Bench.Measurement;

/// <summary>Average cores busy over one run: in the server, in the bench, and in everything else on the machine.</summary>
/// <param name="OtherCores">Other processes (and the kernel on their behalf); on a shared machine this is the noise.</param>
internal sealed record CpuUsage(double ServerCores, double ClientCores, double OtherCores);
