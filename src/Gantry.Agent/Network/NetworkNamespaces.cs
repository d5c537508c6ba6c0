namespace Gantry.Agent.Network;

/// <summary>Named network namespaces, made and removed with <c>ip netns</c> so operators can inspect them the same way.</summary>
internal sealed class NetworkNamespaces(TimeSpan timeout)
{
    /// <summary>Where <c>ip netns</c> bind-mounts named namespaces; the path is what CNI_NETNS and runtimes are given.</summary>
    public const string Directory = "/var/run/netns";

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static bool Exists(string name) => File.Exists(PathOf(name));

    public Task AddAsync(string name, CancellationToken cancellationToken) =>
        HostCommand.RunCheckedAsync(new CommandLine("ip", "netns", "add", name), timeout, cancellationToken);

    /// <summary>Removes the namespace if it is there. Processes still inside keep it alive, unnamed, until they exit.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (!Exists(name))
        {
            return;
        }

        var command = new CommandLine("ip", "netns", "delete", name);
        var output = await HostCommand.RunAsync(command, timeout, cancellationToken);

        // Someone else removing it between the check and the command is as good as removing it ourselves.
        if (output.ExitCode != 0 && Exists(name))
        {
            throw HostCommand.Failure(command, output);
        }
    }
}
