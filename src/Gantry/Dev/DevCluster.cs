using System.Globalization;
using Gantry.Agent;
using Gantry.Agent.Cleanup;
using Gantry.Agent.Network;
using Gantry.Cli;
using Gantry.Server.Security;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Dev;

/// <summary>
/// <c>gantry dev cluster</c>: a multi-node cluster on one machine. Every host is a network namespace on a shared
/// bridge (<see cref="DevHosts"/>); the server runs in host 0 and an agent in every host. It is torn down when the
/// run is stopped, whatever happened before: the cluster's workloads and pods are deleted while the agents still
/// run (so no container outlives it), then the processes stop and the namespaces and bridge go. A run first
/// removes what a crashed earlier run left.
/// </summary>
internal sealed class DevCluster(DevClusterOptions options, TextWriter output)
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PodDeletionPatience = TimeSpan.FromSeconds(45);
    private readonly List<DevProcess> _processes = [];

    public async Task<int> RunAsync(CancellationToken stop)
    {
        await RemoveLeftoversAsync().ConfigureAwait(false);
        Directory.CreateDirectory(options.DataDirectory);
        Kubernetes? client = null;
        try
        {
            output.WriteLine($"creating {options.Nodes} hosts on bridge {DevHosts.Bridge} ({DevHosts.BridgeAddress}/24)");
            await DevHosts.CreateAsync(options.Nodes).ConfigureAwait(false);
            Start("server", 0, [
                "server", "--bind-address", DevHosts.Address(0), "--api-port", options.ApiPort.ToString(CultureInfo.InvariantCulture),
                "--data-dir", options.ServerDirectory,
            ]);
            client = await WaitForServerAsync(stop).ConfigureAwait(false);
            output.WriteLine($"server up at {options.ServerUrl} in {DevHosts.Name(0)}");
            // The agents join as any other host would: with nothing but the server's URL and a join token, one
            // per host, as the README advises, so that no host can write another's Node or pods.
            for (var i = 0; i < options.Nodes; i++)
            {
                var joinToken = await TokenCommand.CreateJoinTokenAsync(client, options.ServerDirectory, TimeSpan.FromDays(1), $"gantry dev cluster agent {DevHosts.Name(i)}", stop)
                    .ConfigureAwait(false);
                Start(DevHosts.Name(i), i, [
                    "agent", "--server", options.ServerUrl.ToString(), "--token", joinToken, "--node-name", DevHosts.Name(i),
                    "--node-ip", DevHosts.Address(i), "--data-dir", options.HostDirectory(i),
                ]);
            }

            await WaitForNodesAsync(client, stop).ConfigureAwait(false);
            output.WriteLine($"ready: kubeconfig at {options.KubeconfigPath}");
            output.WriteLine($"hosts: {string.Join(", ", Enumerable.Range(0, options.Nodes).Select(i => $"{DevHosts.Name(i)}={DevHosts.Address(i)}"))}; logs in {options.DataDirectory}/*.log");
            output.Flush();
            await Task.WhenAny(Task.Delay(Timeout.Infinite, stop), Task.WhenAny(_processes.Select(ExitedAsync))).ConfigureAwait(false);
            if (_processes.FirstOrDefault(p => p.HasExited) is { } exited && !stop.IsCancellationRequested)
            {
                output.WriteLine($"error: the {exited.Name} process exited; see {options.DataDirectory}/{exited.Name}.log");
                return 1;
            }

            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            output.WriteLine("tearing the cluster down");
            output.Flush();
            if (client is not null)
            {
                await DeletePodsAsync(client).ConfigureAwait(false);
                client.Dispose();
            }

            await Task.WhenAll(_processes.Where(p => p.Name != "server").Select(p => p.StopAsync(TimeSpan.FromSeconds(15)))).ConfigureAwait(false);
            await Task.WhenAll(_processes.Where(p => p.Name == "server").Select(p => p.StopAsync(TimeSpan.FromSeconds(10)))).ConfigureAwait(false);
            foreach (var process in _processes)
            {
                process.Dispose();
            }

            await ResetHostsAsync().ConfigureAwait(false);
            await DevHosts.RemoveAllAsync().ConfigureAwait(false);
            File.Delete(options.PidFile);
            output.WriteLine("cluster removed");
        }
    }

    /// <summary>
    /// Whatever the pod deletion above did not stop (a pod the agents had no time for) goes with its sandbox, as in
    /// <c>gantry reset</c>; the agents' state goes too, so the next run starts clean. The logs stay.
    /// </summary>
    private async Task ResetHostsAsync()
    {
        for (var i = 0; i < options.Nodes; i++)
        {
            var state = AgentOptions.StateDirectoryIn(options.HostDirectory(i));
            if (!Directory.Exists(state))
            {
                continue;
            }

            var host = DevHosts.Name(i);
            try
            {
                await new NodeReset(state, NullLoggerFactory.Instance)
                    .RunAsync(new LineProgress(output, $"{host}: "), CancellationToken.None).ConfigureAwait(false);
                Directory.Delete(state, recursive: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or NetworkCommandException)
            {
                // The hosts must still be removed below; what is left is for 'gantry reset' or the next agent start.
                output.WriteLine($"error: {host} was not reset: {ex.Message}");
            }
        }
    }

    private void Start(string name, int host, IEnumerable<string> arguments)
    {
        var process = DevProcess.Start(name, DevHosts.NetnsPath(host), Path.Combine(options.DataDirectory, name + ".log"), arguments);
        _processes.Add(process);
        File.AppendAllText(options.PidFile, process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        output.WriteLine($"started {name} (pid {process.Id}) in {DevHosts.Name(host)}");
    }

    private async Task RemoveLeftoversAsync()
    {
        if (File.Exists(options.PidFile))
        {
            output.WriteLine("stopping the processes of an earlier run");
            foreach (var line in await File.ReadAllLinesAsync(options.PidFile).ConfigureAwait(false))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    DevProcess.StopLeftover(pid);
                }
            }

            File.Delete(options.PidFile);
            await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }

        await DevHosts.RemoveAllAsync().ConfigureAwait(false);
    }

    private async Task<Kubernetes> WaitForServerAsync(CancellationToken stop)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(stop);
        patience.CancelAfter(StartPatience);
        while (true)
        {
            if (_processes[0].HasExited)
            {
                throw new InvalidOperationException($"the server exited; see {options.DataDirectory}/server.log");
            }

            if (File.Exists(Path.Combine(options.ServerDirectory, "pki", "ca.crt")) && File.Exists(options.KubeconfigPath))
            {
                var credentials = ClusterCredentials.LoadOrCreate(options.ServerDirectory);
                var client = ApiClientFactory.Create(new AgentOptions(options.ServerUrl, credentials.AdminToken, credentials.CaPem, "dev", options.DataDirectory));
                try
                {
                    await client.CoreV1.ListNamespaceAsync(cancellationToken: patience.Token).ConfigureAwait(false);
                    return client;
                }
                catch (Exception ex) when (ex is HttpRequestException or k8s.Autorest.HttpOperationException)
                {
                    client.Dispose();
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), patience.Token).ConfigureAwait(false);
        }
    }

    private async Task WaitForNodesAsync(Kubernetes client, CancellationToken stop)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(stop);
        patience.CancelAfter(StartPatience);
        var reported = -1;
        while (true)
        {
            if (_processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"the {exited.Name} process exited; see {options.DataDirectory}/{exited.Name}.log");
            }

            var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: patience.Token).ConfigureAwait(false);
            var ready = nodes.Items.Count(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
            if (ready != reported)
            {
                output.WriteLine($"{ready}/{options.Nodes} nodes ready");
                reported = ready;
            }

            if (ready >= options.Nodes)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), patience.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes the workload controllers (so nothing is recreated) and then every pod, and waits a bounded time for
    /// the agents to stop their containers and free their sandboxes.
    /// </summary>
    private async Task DeletePodsAsync(Kubernetes client)
    {
        using var patience = new CancellationTokenSource(PodDeletionPatience);
        try
        {
            foreach (var d in (await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: patience.Token).ConfigureAwait(false)).Items)
            {
                await client.AppsV1.DeleteNamespacedDeploymentAsync(d.Name(), d.Namespace(), propagationPolicy: "Background", cancellationToken: patience.Token).ConfigureAwait(false);
            }

            foreach (var r in (await client.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: patience.Token).ConfigureAwait(false)).Items)
            {
                await client.AppsV1.DeleteNamespacedReplicaSetAsync(r.Name(), r.Namespace(), propagationPolicy: "Background", cancellationToken: patience.Token).ConfigureAwait(false);
            }

            foreach (var r in (await client.CoreV1.ListReplicationControllerForAllNamespacesAsync(cancellationToken: patience.Token).ConfigureAwait(false)).Items)
            {
                await client.CoreV1.DeleteNamespacedReplicationControllerAsync(r.Name(), r.Namespace(), propagationPolicy: "Background", cancellationToken: patience.Token).ConfigureAwait(false);
            }

            foreach (var j in (await client.BatchV1.ListJobForAllNamespacesAsync(cancellationToken: patience.Token).ConfigureAwait(false)).Items)
            {
                await client.BatchV1.DeleteNamespacedJobAsync(j.Name(), j.Namespace(), propagationPolicy: "Background", cancellationToken: patience.Token).ConfigureAwait(false);
            }

            while (true)
            {
                var pods = (await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: patience.Token).ConfigureAwait(false)).Items;
                if (pods.Count == 0)
                {
                    return;
                }

                output.WriteLine($"waiting for {pods.Count} pods to go");
                foreach (var pod in pods.Where(p => p.Metadata.DeletionGracePeriodSeconds is null or > 2))
                {
                    // A short grace: the cluster is going, and a container that ignores SIGTERM must not hold it up.
                    await client.CoreV1.DeleteNamespacedPodAsync(pod.Name(), pod.Namespace(), gracePeriodSeconds: 2, cancellationToken: patience.Token).ConfigureAwait(false);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), patience.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            output.WriteLine($"warning: not every pod was deleted ({ex.Message}); their containers may outlive the cluster");
        }
    }

    private static async Task ExitedAsync(DevProcess process)
    {
        while (!process.HasExited)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        }
    }
}
