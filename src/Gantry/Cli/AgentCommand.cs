using Gantry.Agent;
using Gantry.Agent.Join;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli;

/// <summary>
/// <c>gantry agent --server URL --token K10...</c>: run a node agent that joins a server with a join
/// token alone (the server's CA is discovered and checked against the token); or with
/// <c>--ca-file F</c>, trusting that CA and presenting the token as it is (e.g. the admin token).
/// </summary>
public static class AgentCommand
{
    public static async Task<int> RunAsync(Flags flags)
    {
        if (flags.Server is null || string.IsNullOrEmpty(flags.Token))
        {
            throw new UsageException(
                "gantry agent needs --server URL and --token K10... (from 'gantry token create' on the server), or --token TOKEN and --ca-file CA.crt");
        }

        using var loggerFactory = Logging.CreateFactory();
        using var stop = new CancellationTokenSource();
        using var signals = Signals.StopOn(stop);
        try
        {
            var credentials = await JoinCredentials.ResolveAsync(flags.Server, flags.Token, flags.CaFile, stop.Token).ConfigureAwait(false);
            var options = new AgentOptions(flags.Server, credentials.Token, credentials.CaPem,
                flags.NodeName ?? AgentOptions.DefaultNodeName(), AgentOptions.StateDirectoryIn(flags.DataDirectory))
            {
                NodeIp = flags.NodeIp,
            };
            var agent = await NodeAgent.StartAsync(options, loggerFactory, stop.Token).ConfigureAwait(false);
            await using (agent.ConfigureAwait(false))
            {
                Console.Out.WriteLine($"ready: node {options.NodeName} joined {options.Server}");
                await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token), agent.Completion).ConfigureAwait(false);
                return agent.Completion.IsFaulted ? 1 : 0;
            }
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }
}
