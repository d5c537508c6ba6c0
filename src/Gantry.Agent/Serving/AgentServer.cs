using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Stats;
using Gantry.Agent.Streaming;
using Gantry.Core.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Serving;

/// <summary>
/// The agent's HTTPS endpoint, where the kubelet has its own: the API server comes here for
/// container logs (and the streaming verbs) and for the node's resource usage (<c>/stats/summary</c>). Only the API server gets in: TLS requires its client
/// certificate (<see cref="ApiServerClientCertificate"/>).
/// </summary>
public sealed class AgentServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AgentServer(WebApplication app, int port, string certificateSha256)
    {
        _app = app;
        Port = port;
        CertificateSha256 = certificateSha256;
    }

    public int Port { get; }

    /// <summary>The fingerprint the agent publishes on its Node, by which the API server pins this endpoint.</summary>
    public string CertificateSha256 { get; }

    public static async Task<AgentServer> StartAsync(
        IPAddress address, int port, string caPem, PodSyncLoop pods, ResourceUsageSampler usage, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var caller = new ApiServerClientCertificate(caPem);
        var certificate = SelfSignedCertificate();
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        // The binary's own folder as content root: the default (the working directory) would have
        // ASP.NET watch that whole tree for configuration changes.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = certificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (client, _, _) => caller.IsTrusted(client),
            });
        }));
        var app = builder.Build();
        var logger = loggerFactory.CreateLogger<AgentServer>();
        app.Run(async context =>
        {
            var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (segments is ["stats", "summary"] && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(
                    System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(usage.Summary, StatsJsonContext.Default.StatsSummary), context.RequestAborted)
                    .ConfigureAwait(false);
                return;
            }

            if (segments is ["metrics", "resource"] && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.ContentType = ResourceMetricsText.ContentType;
                await context.Response.WriteAsync(ResourceMetricsText.Write(usage.Summary), context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (segments is ["healthz"])
            {
                // kubelet's own health check, what `nodes/NAME/proxy/healthz` asks.
                await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (segments is ["containerLogs", var ns, var pod, var container])
            {
                await ServeLogsAsync(context, pods, ns, pod, container).ConfigureAwait(false);
                return;
            }

            if (segments is ["exec", var execNs, var execPod, _] && pods.Find(execNs, execPod) is { } execWorker)
            {
                await ExecSession.RunAsync(context, new ContainerExecTarget(execWorker), logger, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (segments is ["attach", var attachNs, var attachPod, _] && pods.Find(attachNs, attachPod) is { } attachWorker)
            {
                await ExecSession.AttachAsync(context, new ContainerAttachTarget(attachWorker, TimeProvider.System), logger, context.RequestAborted)
                    .ConfigureAwait(false);
                return;
            }

            if (segments is ["portForward", var pfNs, var pfPod] && pods.Find(pfNs, pfPod) is { PodIp: { } podIp })
            {
                await PortForwardSession.RunAsync(context, new PodPortForwardTarget(podIp), logger, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            logger.LogDebug("No agent endpoint for {Path}", context.Request.Path);
            context.Response.StatusCode = 404;
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Urls.Select(u => new Uri(u.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port).FirstOrDefault(port);
        return new AgentServer(app, bound, fingerprint);
    }

    private static async Task ServeLogsAsync(HttpContext context, PodSyncLoop pods, string ns, string podName, string container)
    {
        var query = context.Request.Query;
        var worker = pods.Find(ns, podName);
        var previous = query["previous"] == "true";
        var found = worker?.Find(container, previous);
        if (worker is null || found is not { } target)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync(previous
                ? $"previous terminated container \"{container}\" in pod \"{podName}\" not found"
                : $"container \"{container}\" in pod \"{podName}\" is waiting to start", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/plain";
        int? tail = int.TryParse(query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
        long? limit = long.TryParse(query["limitBytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : null;
        var follow = query["follow"] == "true" && !previous;
        var view = new ContainerLogView(query["timestamps"] == "true", Since(query, TimeProvider.System.GetUtcNow()), limit);
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await ContainerLogReader.CopyAsync(
            target.Runtime.LogPath(target.Handle), context.Response.Body, tail, view, follow,
            async () => await target.Runtime.StatusAsync(target.Handle, context.RequestAborted).ConfigureAwait(false) is not ContainerExited,
            context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The time <c>sinceSeconds</c> (before <paramref name="now"/>) or <c>sinceTime</c> names, as kubelet reads them.</summary>
    private static DateTimeOffset? Since(IQueryCollection query, DateTimeOffset now)
    {
        if (long.TryParse(query["sinceSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return now.AddSeconds(-seconds);
        }

        return DateTimeOffset.TryParse(query["sinceTime"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }

    /// <summary>Like the kubelet's default serving certificate: self-signed, as the API server does not verify it.</summary>
    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Dns.GetHostName()}@gantry-agent", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
