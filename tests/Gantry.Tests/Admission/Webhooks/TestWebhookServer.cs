using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Tests.Admission.Webhooks;

/// <summary>
/// A real HTTPS webhook on loopback, with a certificate for 127.0.0.1 and for the Service name
/// <see cref="ServiceHost"/> made for the test: each request is answered by
/// <see cref="Answer"/> (from the AdmissionReview's request to the whole review answered), and recorded.
/// </summary>
internal sealed class TestWebhookServer : IAsyncDisposable
{
    public const string ServiceHost = "webhook.default.svc";

    private readonly WebApplication _app;

    private TestWebhookServer(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        CaBundle = Encoding.ASCII.GetBytes(certificate.ExportCertificatePem());
    }

    /// <summary>The certificate's PEM, to trust as a configuration's <c>caBundle</c>.</summary>
    public byte[] CaBundle { get; }

    public int Port { get; private set; }

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    /// <summary>The whole reviews received, for their apiVersion.</summary>
    public ConcurrentQueue<JsonObject> Reviews { get; } = new();

    public Func<JsonObject, JsonObject> Answer { get; set; } = Allow;

    /// <summary>Answers for particular paths, before <see cref="Answer"/>.</summary>
    public ConcurrentDictionary<string, Func<JsonObject, JsonObject>> AnswerAt { get; } = new(StringComparer.Ordinal);

    /// <summary>The path of each request, in the order they came.</summary>
    public ConcurrentQueue<string> Paths { get; } = new();

    public string Url(string path) => $"https://127.0.0.1:{Port}{path}";

    public static async Task<TestWebhookServer> StartAsync()
    {
        var certificate = Certificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var server = new TestWebhookServer(app, certificate);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Urls.First()).Port;
        return server;
    }

    /// <summary>Allows the request, as a v1 review.</summary>
    public static JsonObject Allow(JsonObject request) => Review(new JsonObject { ["uid"] = request["uid"]!.GetValue<string>(), ["allowed"] = true });

    public static JsonObject Review(JsonObject response) =>
        new() { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response };

    private async Task HandleAsync(HttpContext context)
    {
        var review = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var request = review["request"]!.AsObject();
        Requests.Enqueue(request);
        Reviews.Enqueue(review);
        Paths.Enqueue(context.Request.Path.Value ?? "");
        var answer = AnswerAt.GetValueOrDefault(context.Request.Path.Value ?? "") ?? Answer;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer(request).ToJsonString());
    }

    private static X509Certificate2 Certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName(ServiceHost);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel needs the key in a form it can use for TLS: a PKCS#12 round trip gives it one.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
