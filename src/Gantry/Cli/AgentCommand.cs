using Gantry.Agent;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli;

/// <summary><c>gantry agent --server URL --token T --ca-file F</c>: run a node agent that joins a server.</summary>
public static class AgentCommand
{
    public static async Task<int> RunAsync(Flags flags)
    {
        if (flags.Server is null || string.IsNullOrEmpty(flags.Token) || string.IsNullOrEmpty(flags.CaFile))
        {
            throw new UsageException("gantry agent needs --server URL, --token TOKEN and --ca-file CA.crt (the server's DATA_DIR/pki/ca.crt)");
        }

        using var loggerFactory = Logging.CreateFactory();
        using var stop = new CancellationTokenSource();
        using var signals = Signals.StopOn(stop);
        var options = new AgentOptions(flags.Server, flags.Token, await File.ReadAllTextAsync(flags.CaFile).ConfigureAwait(false),
            flags.NodeName ?? AgentOptions.DefaultNodeName(), Path.Combine(flags.DataDirectory, "agent"))
        {
            NodeIp = flags.NodeIp,
        };
        try
        {
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
