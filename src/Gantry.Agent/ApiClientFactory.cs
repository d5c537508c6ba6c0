using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace Gantry.Agent;

/// <summary>The agent talks to its server with the official Kubernetes client, over HTTPS, trusting only the cluster CA.</summary>
public static class ApiClientFactory
{
    private const string UserAgent = "gantry-agent";

    public static Kubernetes Create(AgentOptions options)
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPem(options.CaPem);
        return new Kubernetes(new KubernetesClientConfiguration
        {
            Host = options.Server.ToString(),
            AccessToken = options.Token,
            SslCaCerts = ca,
            UserAgent = UserAgent,
        });
    }

    /// <summary>
    /// A bare HTTP/2 client of the same server, with the same trust and token, for requests whose answer the caller
    /// does not decode.
    /// </summary>
    public static HttpClient CreateHttp(AgentOptions options)
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPem(options.CaPem);
        var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        trust.CustomTrustStore.AddRange(ca);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = trust },
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = options.Server,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }
}
