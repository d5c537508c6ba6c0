using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gantry.Harness;

/// <summary>An <see cref="HttpClient"/> for a gantry API server: trusts its CA and sends the admin token.</summary>
public static class ClusterClient
{
    public static HttpClient Create(GantryProcess server, int maxConnections, Version httpVersion, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(server);
        var pki = Path.Combine(server.DataDirectory, "pki");
        var token = File.ReadAllText(Path.Combine(pki, "admin.token")).Trim();
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, "ca.crt")));
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedByClusterCa(certificate, errors, ca),
            },
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = server.BaseAddress,
            DefaultRequestVersion = httpVersion,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = timeout,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static bool TrustedByClusterCa(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        // The CA is generated per cluster and is not in the system store: build the chain against it alone.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
