using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gantry.E2E.Webhooks;

/// <summary>
/// An admission and conversion webhook server inside the test process, as the API server under test calls it: HTTPS
/// (HTTP/1.1 and HTTP/2) on 127.0.0.1 and a free port, with a certificate for IP 127.0.0.1 issued by a CA made for this
/// server alone (<see cref="CaBundle"/> goes into a configuration's <c>clientConfig.caBundle</c>). Each webhook is served
/// at <c>/NAME</c> (<see cref="Url"/>) by a handler that maps the review's <c>request</c> to a
/// <see cref="WebhookResponse"/> (an AdmissionReview, <see cref="Handle"/>) or a <see cref="ConversionResponse"/>
/// (a ConversionReview, <see cref="HandleConversion"/>); every review is recorded, so tests can assert on what the
/// server sent.
/// </summary>
public sealed class TestWebhookServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions ResponseJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    // A handler maps a whole review and its request to the review to answer with.
    private readonly ConcurrentDictionary<string, Func<JsonElement, JsonElement, object>> _handlers = new(StringComparer.Ordinal);
    private readonly List<(string Webhook, JsonElement Review, JsonElement Request)> _requests = [];
    private readonly X509Certificate2 _serving;
    private WebApplication? _app;

    private TestWebhookServer(X509Certificate2 ca, X509Certificate2 serving)
    {
        CaCertificate = ca;
        _serving = serving;
        CaBundle = Convert.ToBase64String(Encoding.ASCII.GetBytes(ca.ExportCertificatePem()));
    }

    /// <summary>The port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The CA that issued the server's certificate (public part only).</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The CA certificate as PEM, base64-encoded, as <c>clientConfig.caBundle</c> takes it.</summary>
    public string CaBundle { get; }

    /// <summary>Starts a server with a fresh CA and certificate; dispose it to stop it.</summary>
    public static async Task<TestWebhookServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var (ca, serving) = IssueCertificates();
        var server = new TestWebhookServer(ca, serving);
        await server.ListenAsync(cancellationToken);
        return server;
    }

    /// <summary>The URL of webhook <paramref name="webhook"/>, for <c>clientConfig.url</c>.</summary>
    public string Url(string webhook) => $"https://127.0.0.1:{Port}/{webhook}";

    /// <summary>Answers the AdmissionReviews sent to <see cref="Url"/>(<paramref name="webhook"/>) with <paramref name="answer"/>.</summary>
    public void Handle(string webhook, Func<JsonElement, WebhookResponse> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        _handlers["/" + webhook] = (_, request) => AdmissionReview(request, answer(request));
    }

    /// <summary>
    /// Answers the ConversionReviews sent to <see cref="Url"/>(<paramref name="webhook"/>) with <paramref name="answer"/>,
    /// in the review's own <c>apiVersion</c> (<c>apiextensions.k8s.io/v1</c> or <c>v1beta1</c>), as the API server
    /// decodes the answer as the version it sent.
    /// </summary>
    public void HandleConversion(string webhook, Func<JsonElement, ConversionResponse> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        _handlers["/" + webhook] = (review, request) => ConversionReview(review, request, answer(request));
    }

    /// <summary>The reviews' <c>request</c>s sent to webhook <paramref name="webhook"/> so far, in order.</summary>
    public IReadOnlyList<JsonElement> Requests(string webhook)
    {
        lock (_requests)
        {
            return [.. _requests.Where(r => r.Webhook == "/" + webhook).Select(r => r.Request)];
        }
    }

    /// <summary>The whole reviews (<c>apiVersion</c>, <c>kind</c>, <c>request</c>) sent to webhook <paramref name="webhook"/> so far, in order.</summary>
    public IReadOnlyList<JsonElement> Reviews(string webhook)
    {
        lock (_requests)
        {
            return [.. _requests.Where(r => r.Webhook == "/" + webhook).Select(r => r.Review)];
        }
    }

    /// <summary>Every request received so far, for failure messages.</summary>
    public string Describe()
    {
        lock (_requests)
        {
            return _requests.Count == 0
                ? "(the webhook server received no request)"
                : string.Join('\n', _requests.Select(r => $"{r.Webhook}: {r.Request.GetRawText()}"));
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _serving.Dispose();
        CaCertificate.Dispose();
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(_serving);
        }));
        _app = builder.Build();
        _app.Run(AnswerAsync);
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Port = new Uri(address).Port;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        JsonElement review;
        JsonElement request;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (!body.RootElement.TryGetProperty("request", out var found) || found.ValueKind != JsonValueKind.Object)
            {
                await Refuse(context, StatusCodes.Status400BadRequest, "the review has no request");
                return;
            }

            review = body.RootElement.Clone();
            request = review.GetProperty("request");
        }
        catch (JsonException ex)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "the body is not JSON: " + ex.Message);
            return;
        }

        lock (_requests)
        {
            _requests.Add((path, review, request));
        }

        if (!_handlers.TryGetValue(path, out var handler))
        {
            await Refuse(context, StatusCodes.Status404NotFound, $"no webhook is served at {path}");
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(handler(review, request), ResponseJson), context.RequestAborted);
    }

    private static object AdmissionReview(JsonElement request, WebhookResponse answer) => new
    {
        apiVersion = "admission.k8s.io/v1",
        kind = "AdmissionReview",
        response = new
        {
            uid = Uid(request),
            allowed = answer.Allowed,
            status = answer.Code is null && answer.Message is null ? null : new { code = answer.Code, message = answer.Message },
            patchType = answer.JsonPatch is null ? null : "JSONPatch",
            patch = answer.JsonPatch is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(answer.JsonPatch)),
            warnings = answer.Warnings.Count == 0 ? null : answer.Warnings,
        },
    };

    private static object ConversionReview(JsonElement review, JsonElement request, ConversionResponse answer) => new
    {
        apiVersion = review.TryGetProperty("apiVersion", out var version) && version.ValueKind == JsonValueKind.String ? version.GetString() : null,
        kind = "ConversionReview",
        response = new
        {
            uid = Uid(request),
            result = answer.Succeeded ? new { status = "Success", message = (string?)null } : new { status = "Failure", message = answer.Message },
            convertedObjects = answer.Succeeded ? new JsonArray([.. answer.ConvertedObjects.Select(o => o.DeepClone())]) : null,
        },
    };

    private static string? Uid(JsonElement request) =>
        request.TryGetProperty("uid", out var uid) && uid.ValueKind == JsonValueKind.String ? uid.GetString() : null;

    private static async Task Refuse(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }

    /// <summary>A CA, and a server certificate it issues for IP 127.0.0.1 (and DNS localhost), both valid for a day.</summary>
    private static (X509Certificate2 Ca, X509Certificate2 Serving) IssueCertificates()
    {
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore.AddDays(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=gantry-e2e-webhook-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var caWithKey = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var servingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var servingRequest = new CertificateRequest("CN=127.0.0.1", servingKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        servingRequest.CertificateExtensions.Add(names.Build(critical: false));
        servingRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        servingRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        servingRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        servingRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(servingRequest.PublicKey, critical: false));
        servingRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = servingRequest.Create(caWithKey, notBefore, notAfter, serial);
        using var issuedWithKey = issued.CopyWithPrivateKey(servingKey);

        // Through PKCS#12 so the key outlives the ephemeral ECDsa object whatever the platform.
        var serving = X509CertificateLoader.LoadPkcs12(issuedWithKey.Export(X509ContentType.Pkcs12), password: null);
        var ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
        return (ca, serving);
    }
}
