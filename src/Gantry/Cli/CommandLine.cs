namespace Gantry.Cli;

/// <summary>The <c>gantry</c> commands and their dispatch.</summary>
public static class CommandLine
{
    private static readonly string Usage = $"""
        gantry — one cluster manager for containers, processes and frameworks

        Usage:
          gantry up [--data-dir DIR] [--api-port PORT] [--cluster-cidr CIDR]
                                                            start a single-node cluster (server + agent)
          gantry server [--data-dir DIR] [--api-port PORT] [--bind-address IP] [--cluster-cidr CIDR]
                                                            start the API server alone
          gantry agent --server URL --token K10... [--node-name NAME] [--node-ip IP] [--data-dir DIR]
                                                            run a node agent that joins a server with a join token
          gantry agent --server URL --token TOKEN --ca-file CA.crt [--node-name NAME] [--node-ip IP] [--data-dir DIR]
                                                            the same, trusting the given CA (e.g. with the admin token)
        {TokenCommand.Usage}
        {KubeconfigCommand.Usage}
          gantry explain pod NAME [-n NAMESPACE]            show where the scheduler would place a pod, and why
        {ImageCommand.Usage}
        {DevClusterCommand.Usage}
        {ResetCommand.Usage}
          gantry version                                    print the version

        The data directory defaults to /var/lib/gantry as root, ~/.local/share/gantry otherwise.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            if (args[0] == "explain")
            {
                return await ExplainCommand.RunAsync(args[1..]).ConfigureAwait(false);
            }

            if (args[0] == "token")
            {
                return await TokenCommand.RunAsync(args[1..]).ConfigureAwait(false);
            }

            if (args[0] == "dev")
            {
                return await DevClusterCommand.RunAsync(args[1..]).ConfigureAwait(false);
            }

            if (args[0] == "reset")
            {
                return await ResetCommand.RunAsync(args[1..]).ConfigureAwait(false);
            }

            if (args[0] == "kubeconfig")
            {
                return KubeconfigCommand.Run(args[1..]);
            }

            if (args[0] == "image")
            {
                return await ImageCommand.RunAsync(args[1..]).ConfigureAwait(false);
            }

            var options = Flags.Parse(args[1..]);
            return args[0] switch
            {
                "up" => await UpCommand.RunAsync(options, withAgent: true).ConfigureAwait(false),
                "server" => await UpCommand.RunAsync(options, withAgent: false).ConfigureAwait(false),
                "agent" => await AgentCommand.RunAsync(options).ConfigureAwait(false),
                "version" => VersionCommand.Run(),
                _ => Fail($"unknown command \"{args[0]}\""),
            };
        }
        catch (UsageException ex)
        {
            return Fail(ex.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine("Run 'gantry --help' for usage.");
        return 2;
    }
}
