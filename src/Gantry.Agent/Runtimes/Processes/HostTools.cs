namespace Gantry.Agent.Runtimes.Processes;

/// <summary>
/// Absolute paths of the host programs an exec into a process-runtime container chains through.
/// Resolved once, from the agent's PATH, because the chain runs with the container's environment,
/// whose PATH is the workload's business and may not include them.
/// </summary>
internal sealed record HostTools(string Shell, string Env, string Nsenter, string Setpriv)
{
    public static HostTools Resolve() =>
        new("/bin/sh", Find("env"), Find("nsenter"), Find("setpriv"));

    private static string Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"{program} is not installed; the process runtime needs util-linux and coreutils", program);
}
