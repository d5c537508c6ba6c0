namespace Gantry.Agent.Cgroups;

/// <summary>
/// One value to write into one control file of one controller's directory, in the order given.
/// </summary>
/// <param name="Controller">The controller whose hierarchy holds the file ("cpu", "memory", "pids").</param>
/// <param name="File">The control file's name, e.g. memory.limit_in_bytes.</param>
/// <param name="Value">What to write.</param>
/// <param name="Optional">Skip the write when the kernel lacks the file (swap accounting is often compiled out).</param>
public sealed record CgroupFileWrite(string Controller, string File, string Value, bool Optional = false);
