using Gantry.Agent;
using Gantry.Server;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli;

/// <summary>
/// <c>gantry up</c> and <c>gantry server</c>: start the cluster and run until SIGINT/SIGTERM.
/// Prints <c>ready: kubeconfig at PATH</c> once requests are served.
/// </summary>
public static class UpCommand
{
    public static async Task<int> RunAsync(Flags flags, bool withAgent)
    {
        using var loggerFactory = Logging.CreateFactory();
        var logger = loggerFactory.CreateLogger("gantry");
        using var stop = new CancellationTokenSource();
        using var signals = Signals.StopOn(stop);

        var options = flags.ToServerOptions();
        GantryServer server;
        try
        {
            server = await GantryServer.StartAsync(options, loggerFactory, stop.Token).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"error: cannot listen on {options.Url}: {ex.Message}. Is another gantry running? Pick another port with --api-port.");
            return 1;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            logger.LogInformation("API server listening on {Url}, data in {DataDirectory}", options.Url, options.DataDirectory);
            NodeAgent? agent = null;
            if (withAgent)
            {
                var agentOptions = new AgentOptions(
                    new Uri(options.Url), server.Credentials.AdminToken, server.Credentials.CaPem,
                    flags.NodeName ?? AgentOptions.DefaultNodeName(), AgentOptions.StateDirectoryIn(options.DataDirectory), Port: 0);
                agent = await NodeAgent.StartAsync(agentOptions, loggerFactory, stop.Token).ConfigureAwait(false);
            }

            try
            {
                Console.Out.WriteLine($"ready: kubeconfig at {server.KubeconfigPath}");
                await Console.Out.FlushAsync().ConfigureAwait(false);
                var stopped = Task.Delay(Timeout.Infinite, stop.Token);
                await Task.WhenAny(stopped, server.Completion, agent?.Completion ?? stopped).ConfigureAwait(false);
                if (server.Completion.IsFaulted || agent?.Completion.IsFaulted == true)
                {
                    logger.LogCritical(server.Completion.Exception ?? agent?.Completion.Exception, "Gantry can no longer work correctly; exiting");
                    return 1;
                }

                logger.LogInformation("Stopping");
            }
            finally
            {
                if (agent is not null)
                {
                    await agent.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        return 0;
    }
}
