using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Server.Security;
using Gantry.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Bench.Scheduling.Floor;

/// <summary>
/// <c>Gantry.Bench floor-server</c>: the least an API server can do for the scheduling bench's load, to measure the
/// ceiling this machine and this load generator allow in the same run as gantry. It answers the same requests over the
/// same TLS and HTTP/2 as gantry (its certificate and token too), decodes every body once and encodes every object
/// version once, and streams the same watch events; it validates and admits nothing, records no managed fields, and binds
/// each pod to the next node in turn. Alone it stores nothing on disk; with <c>--store</c> it commits to gantry's own
/// store (SQLite, fsynced group commits) what any server doing this job must make durable before it answers or sends it:
/// each pod version, each lease renewal, and a Scheduled event for each bind. It is a measuring instrument, not a server:
/// it knows only the paths the bench and its simulated nodes use.
/// </summary>
internal static class ProtocolFloorServer
{
    private const string JsonType = "application/json";

    public static async Task<int> RunAsync(string[] args)
    {
        var dataDirectory = Value(args, "--data-dir");
        var port = int.Parse(Value(args, "--api-port"), CultureInfo.InvariantCulture);
        Directory.CreateDirectory(dataDirectory);
        var credentials = ClusterCredentials.LoadOrCreate(dataDirectory);
        var url = $"https://127.0.0.1:{port}";
        var kubeconfigPath = Kubeconfig.PathIn(dataDirectory);
        await File.WriteAllTextAsync(kubeconfigPath, Kubeconfig.Render(url, credentials.CaPem, credentials.AdminToken)).ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // gantry's listener settings, so that the two differ in what they do with a request, not in how they take it.
            kestrel.Limits.MaxRequestBodySize = 3 * 1024 * 1024;
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(credentials.ServerCertificate);
            });
        });
        await using var app = builder.Build();
        await using var store = args.Contains("--store")
            ? await SqliteVersionedStore.OpenAsync(Path.Combine(dataDirectory, "state.db")).ConfigureAwait(false)
            : null;
        var pods = new FloorPods(store);
        var leases = new HashSet<string>(StringComparer.Ordinal);
        var authorization = "Bearer " + credentials.AdminToken;
        app.Run(context => context.Request.Headers.Authorization == authorization
            ? HandleAsync(context, pods, leases)
            : AnswerAsync(context, HttpStatusCode.Unauthorized, Status(401, "Unauthorized", "Unauthorized")));
        await app.StartAsync().ConfigureAwait(false);
        Console.Out.WriteLine($"ready: kubeconfig at {kubeconfigPath}");
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task HandleAsync(HttpContext context, FloorPods pods, HashSet<string> leases)
    {
        var request = context.Request;
        var segments = request.Path.Value!.Trim('/').Split('/');
        var method = request.Method;
        var watch = request.Query["watch"] == "true";
        var boundOnly = request.Query["fieldSelector"] == "spec.nodeName!=";
        switch (segments)
        {
            case ["api", "v1", "pods"] when method == "GET":
                await ListOrWatchAsync(context, pods, null, boundOnly, watch).ConfigureAwait(false);
                return;
            case ["api", "v1", "namespaces", var ns, "pods"] when method == "GET":
                await ListOrWatchAsync(context, pods, ns, boundOnly, watch).ConfigureAwait(false);
                return;
            case ["api", "v1", "namespaces", var ns, "pods"] when method == "POST":
                var pod = await ReadAsync(request).ConfigureAwait(false);
                var created = await pods.CreateAsync(ns, pod.AsObject(), context.RequestAborted).ConfigureAwait(false);
                await (created is null
                    ? AnswerAsync(context, HttpStatusCode.Conflict, Status(409, "AlreadyExists", "pod already exists"))
                    : AnswerAsync(context, HttpStatusCode.Created, created)).ConfigureAwait(false);
                return;
            case ["api", "v1", "namespaces", var ns, "pods", var name, "status"] when method == "PATCH":
                var patched = await pods.PatchStatusAsync(ns, name, await ReadAsync(request).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false);
                await (patched is null ? NotFoundAsync(context) : AnswerAsync(context, HttpStatusCode.OK, patched)).ConfigureAwait(false);
                return;
            case ["api", "v1", "nodes"] when method == "POST":
                var node = await ReadAsync(request).ConfigureAwait(false);
                pods.AddNode(node["metadata"]!["name"]!.GetValue<string>());
                await AnswerAsync(context, HttpStatusCode.Created, JsonSerializer.SerializeToUtf8Bytes(node)).ConfigureAwait(false);
                return;
            case ["api", "v1", "nodes", var name, "status"] when method == "PATCH":
                _ = await ReadAsync(request).ConfigureAwait(false);
                await AnswerAsync(context, HttpStatusCode.OK, Named("Node", "v1", name)).ConfigureAwait(false);
                return;
            case ["api", "v1", "namespaces"] when method == "POST":
                await AnswerAsync(context, HttpStatusCode.Created, JsonSerializer.SerializeToUtf8Bytes(await ReadAsync(request).ConfigureAwait(false))).ConfigureAwait(false);
                return;
            case ["apis", "coordination.k8s.io", "v1", "namespaces", _, "leases"] when method == "POST":
                var lease = await ReadAsync(request).ConfigureAwait(false);
                var leaseName = lease["metadata"]!["name"]!.GetValue<string>();
                lock (leases)
                {
                    leases.Add(leaseName);
                }

                await pods.RecordAsync(LeaseKey(leaseName), lease, context.RequestAborted).ConfigureAwait(false);
                await AnswerAsync(context, HttpStatusCode.Created, JsonSerializer.SerializeToUtf8Bytes(lease)).ConfigureAwait(false);
                return;
            case ["apis", "coordination.k8s.io", "v1", "namespaces", _, "leases", var name] when method == "PATCH":
                var renewal = await ReadAsync(request).ConfigureAwait(false);
                bool known;
                lock (leases)
                {
                    known = leases.Contains(name);
                }

                if (known)
                {
                    await pods.RecordAsync(LeaseKey(name), renewal, context.RequestAborted).ConfigureAwait(false);
                }

                await (known ? AnswerAsync(context, HttpStatusCode.OK, Named("Lease", "coordination.k8s.io/v1", name)) : NotFoundAsync(context)).ConfigureAwait(false);
                return;
            default:
                await NotFoundAsync(context).ConfigureAwait(false);
                return;
        }
    }

    private static async Task ListOrWatchAsync(HttpContext context, FloorPods pods, string? @namespace, bool boundOnly, bool watch)
    {
        if (!watch)
        {
            await AnswerAsync(context, HttpStatusCode.OK, pods.List(@namespace, boundOnly)).ConfigureAwait(false);
            return;
        }

        var watcher = pods.Watch(@namespace, boundOnly);
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = JsonType;
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await watcher.StreamAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            pods.Unwatch(watcher);
        }
    }

    private static string LeaseKey(string name) => "/registry/leases/kube-node-lease/" + name;

    private static async Task<JsonNode> ReadAsync(HttpRequest request) =>
        await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false)
        ?? throw new FormatException("the body is JSON null");

    private static Task NotFoundAsync(HttpContext context) =>
        AnswerAsync(context, HttpStatusCode.NotFound, Status(404, "NotFound", $"{context.Request.Path} not found"));

    private static Task AnswerAsync(HttpContext context, HttpStatusCode code, byte[] body)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = JsonType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static byte[] Named(string kind, string apiVersion, string name) =>
        Encoding.UTF8.GetBytes($"{{\"kind\":\"{kind}\",\"apiVersion\":\"{apiVersion}\",\"metadata\":{{\"name\":\"{name}\"}}}}");

    private static byte[] Status(int code, string reason, string message) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        });

    private static string Value(string[] args, string flag)
    {
        var i = Array.IndexOf(args, flag);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"floor-server needs {flag}");
    }
}
