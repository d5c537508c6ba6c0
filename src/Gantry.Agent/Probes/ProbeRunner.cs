using Gantry.Agent.Runtimes;
using k8s.Models;

namespace Gantry.Agent.Probes;

/// <summary>
/// Runs the handler a probe names (exec, httpGet, tcpSocket or grpc) against one container
/// instance. A run that errors (rather than fails) is retried up to three times, as kubelet's
/// runProbeWithRetries does; if it still errors, the outcome carries the error and the worker
/// throws it away.
/// </summary>
public sealed class ProbeRunner(V1Probe probe, V1Container container, string? podIp, IContainerRuntime runtime, ContainerHandle handle)
{
    private const int MaxRetries = 3;

    private readonly TimeSpan _timeout = ProbeSettings.Of(probe).Timeout;

    public async Task<ProbeOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var outcome = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; attempt < MaxRetries && outcome.Error is not null; attempt++)
        {
            outcome = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    private async Task<ProbeOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (probe.Exec is { } exec)
            {
                return await ExecProber.ProbeAsync(runtime, handle, exec.Command?.ToList() ?? [], _timeout, cancellationToken).ConfigureAwait(false);
            }

            if (probe.HttpGet is { } httpGet)
            {
                return await HttpGetProber.ProbeAsync(HttpProbeRequest.For(httpGet, container, podIp), _timeout, cancellationToken).ConfigureAwait(false);
            }

            if (probe.TcpSocket is { } tcpSocket)
            {
                var host = string.IsNullOrEmpty(tcpSocket.Host) ? podIp ?? "" : tcpSocket.Host;
                return await TcpSocketProber.ProbeAsync(host, ProbePorts.Resolve(tcpSocket.Port, container), _timeout, cancellationToken).ConfigureAwait(false);
            }

            if (probe.Grpc is { } grpc)
            {
                return await GrpcProber.ProbeAsync(podIp ?? "", grpc.Port, grpc.Service ?? "", _timeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException ex)
        {
            return ProbeOutcome.Errored(ex.Message);
        }

        return ProbeOutcome.Errored($"missing probe handler for {handle.PodName}_{handle.PodNamespace}({handle.PodUid}):{container.Name}");
    }
}
