using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace Gantry.Agent.Join;

/// <summary>
/// Finds the cluster CA from a join token alone, as k3s's <c>ParseAndValidateToken</c> and kubeadm's
/// token discovery do: read <c>kube-public/cluster-info</c> anonymously over TLS without trusting the
/// server yet, refuse unless its CA hashes to the token's CA hash, then read it again trusting only
/// that CA, which proves the server's certificate chains to it. Only then is the bootstrap token sent.
/// </summary>
public static class ClusterInfoDiscovery
{
    public const string ClusterInfoPath = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The cluster CA (PEM) of <paramref name="server"/>, verified against <paramref name="token"/>.</summary>
    /// <exception cref="InvalidOperationException">The server cannot be reached, or its CA does not match the token.</exception>
    public static async Task<string> DiscoverCaAsync(Uri server, JoinToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(token);
        if (server.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"only https:// URLs are supported, invalid scheme: {server}");
        }

        if (token.CaHash is null)
        {
            throw new InvalidOperationException(
                "the token has no CA hash, so the server cannot be verified: use the K10... token 'gantry token create' prints, or pass --ca-file");
        }

        var url = new Uri(server, ClusterInfoPath);
        byte[] caBundle;
        using (var untrusted = Client((_, _, _, _) => true))
        {
            caBundle = ClusterCa(await GetAsync(untrusted, url, "failed to get cluster-info", cancellationToken).ConfigureAwait(false));
        }

        var serverHash = Hash(caBundle);
        if (serverHash != token.CaHash)
        {
            throw new InvalidOperationException($"token CA hash does not match the Cluster CA certificate hash: {token.CaHash} != {serverHash}");
        }

        var ca = new X509Certificate2Collection();
        ca.ImportFromPem(Encoding.UTF8.GetString(caBundle));
        using (var trusted = Client((_, certificate, _, errors) => certificate is not null && ChainsTo(certificate, ca, errors)))
        {
            await GetAsync(trusted, url, "CA cert validation failed", cancellationToken).ConfigureAwait(false);
        }

        return Encoding.UTF8.GetString(caBundle);
    }

    /// <summary>
    /// The server's certificate is for the host asked for and chains to <paramref name="ca"/> alone,
    /// whatever the machine's own trust store says.
    /// </summary>
    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection ca, SslPolicyErrors errors)
    {
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        // The CA also signs users' client certificates, which may name any host: only a server's certificate will do.
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        return chain.Build(certificate);
    }

    private static HttpClient Client(Func<HttpRequestMessage, X509Certificate2?, X509Chain?, SslPolicyErrors, bool> validate) =>
        new(new HttpClientHandler { ServerCertificateCustomValidationCallback = validate }) { Timeout = Timeout };

    private static async Task<string> GetAsync(HttpClient client, Uri url, string failure, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{failure}: {url}: {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return body;
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException($"{failure}: {url}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{failure}: {url}: no answer within {Timeout.TotalSeconds:0} s", ex);
        }
    }

    /// <summary>The certificate-authority-data of the first cluster in cluster-info's kubeconfig.</summary>
    private static byte[] ClusterCa(string configMapJson)
    {
        var kubeconfig = (JsonNode.Parse(configMapJson)?["data"]?["kubeconfig"]?.GetValue<string>())
            ?? throw new InvalidOperationException("the server's cluster-info ConfigMap has no data.kubeconfig");
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        var config = KubernetesClientConfiguration.LoadKubeConfig(stream);
        var data = config.Clusters?.FirstOrDefault()?.ClusterEndpoint?.CertificateAuthorityData;
        if (string.IsNullOrEmpty(data))
        {
            throw new InvalidOperationException("the server's cluster-info kubeconfig has no certificate-authority-data");
        }

        try
        {
            return Convert.FromBase64String(data);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException("the server's cluster-info certificate-authority-data is not base64", ex);
        }
    }

    private static string Hash(byte[] caBundle)
    {
        try
        {
            return ClusterCaHash.Compute(caBundle);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"the server's cluster-info CA is not usable: {ex.Message}", ex);
        }
    }
}
