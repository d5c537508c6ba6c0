namespace Gantry.Agent.Runtimes;

/// <summary>The shim's "exit" record: the child's exit status as the shell's wait reported it (128+N for signal N).</summary>
internal sealed record ShimExit(int Code, DateTimeOffset At);
