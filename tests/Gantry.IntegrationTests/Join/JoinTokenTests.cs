using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Agent;
using Gantry.Agent.Join;
using Gantry.Agent.Node;
using Gantry.Core.Security;
using Gantry.Server;
using Gantry.Server.Security;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.IntegrationTests.Join;

/// <summary>
/// Join tokens against a real server on loopback: bootstrap-token Secrets authenticate, cluster-info is
/// the one anonymous read, and an agent given only the server URL and a K10 token registers its Node.
/// </summary>
public sealed class JoinTokenTests : IAsyncLifetime
{
    private const string ExpectedUnauthorized =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gantry-join-").FullName;
    private GantryServer _server = null!;
    private Kubernetes _admin = null!;
    private Uri _url = null!;

    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(60));

    public async Task InitializeAsync()
    {
        var options = new ServerOptions(_dataDirectory, FreePort());
        _server = await GantryServer.StartAsync(options, NullLoggerFactory.Instance, _deadline.Token);
        _url = new Uri(options.Url);
        _admin = ApiClientFactory.Create(new AgentOptions(_url, _server.Credentials.AdminToken, _server.Credentials.CaPem, "admin", _dataDirectory));
    }

    public async Task DisposeAsync()
    {
        _deadline.Dispose();
        _admin.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_created_token_authenticates_and_a_wrong_secret_or_an_expired_token_gets_401()
    {
        var ct = _deadline.Token;
        var token = await CreateTokenAsync(TimeSpan.FromHours(1), ct);
        var expired = BootstrapToken.Generate();
        var expiredSecret = BootstrapTokenSecrets.Create(expired, TimeSpan.FromHours(1), "expired", DateTimeOffset.UtcNow);
        expiredSecret.Data[BootstrapTokenSecret.ExpirationKey] = Encoding.UTF8.GetBytes(BootstrapTokenSecret.FormatExpiration(DateTimeOffset.UtcNow.AddMinutes(-1)));
        await _admin.CoreV1.CreateNamespacedSecretAsync(expiredSecret, BootstrapTokenSecret.Namespace, cancellationToken: ct);
        var noUsage = BootstrapToken.Generate();
        var noUsageSecret = BootstrapTokenSecrets.Create(noUsage, TimeSpan.FromHours(1), null, DateTimeOffset.UtcNow);
        noUsageSecret.Data.Remove(BootstrapTokenSecret.UsageAuthenticationKey);
        await _admin.CoreV1.CreateNamespacedSecretAsync(noUsageSecret, BootstrapTokenSecret.Namespace, cancellationToken: ct);
        using var http = TrustingClient();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/api/v1/nodes", token.ToString(), ct)).Status);
        foreach (var refused in new[]
                 {
                     $"{token.Id}.{new string('0', 16)}", expired.ToString(), noUsage.ToString(), BootstrapToken.Generate().ToString(),
                 })
        {
            var (status, body) = await GetAsync(http, "/api/v1/nodes", refused, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(ExpectedUnauthorized, body);
        }
    }

    [Fact]
    public async Task Cluster_info_is_the_only_thing_an_anonymous_request_may_read()
    {
        var ct = _deadline.Token;
        using var http = TrustingClient();

        var (status, body) = await GetAsync(http, ClusterInfo.Path, null, ct);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(_server.Credentials.CaPem)), body, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Credentials.AdminToken, body, StringComparison.Ordinal);

        foreach (var path in new[]
                 {
                     "/api/v1/namespaces/kube-public/configmaps", "/api/v1/namespaces/kube-system/configmaps/cluster-info",
                     "/api/v1/namespaces/kube-system/secrets", ClusterInfo.Path + "?watch=true", "/api/v1/nodes",
                 })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, path, null, ct)).Status);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, ClusterInfo.Path, "abcdef.0123456789abcdef", ct)).Status);
    }

    [Fact]
    public async Task Discovery_refuses_a_server_whose_CA_does_not_match_the_token()
    {
        var ct = _deadline.Token;
        var token = new JoinToken(new string('0', 64), BootstrapToken.Generate());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ClusterInfoDiscovery.DiscoverCaAsync(_url, token, ct));

        Assert.StartsWith($"token CA hash does not match the Cluster CA certificate hash: {token.CaHash} != ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_with_only_the_server_URL_and_a_join_token_registers_its_node()
    {
        var ct = _deadline.Token;
        var token = await CreateTokenAsync(TimeSpan.FromHours(1), ct);
        var caBundle = await File.ReadAllBytesAsync(ClusterCredentials.CaPathIn(_dataDirectory), ct);
        var joinToken = JoinToken.Format(caBundle, token);

        var credentials = await JoinCredentials.ResolveAsync(_url, joinToken, caFile: null, ct);
        Assert.Equal(token.ToString(), credentials.Token);
        Assert.Equal(_server.Credentials.CaPem, credentials.CaPem);

        var options = new AgentOptions(_url, credentials.Token, credentials.CaPem, "joined-node", Directory.CreateDirectory(Path.Combine(_dataDirectory, "agent")).FullName);
        using var client = ApiClientFactory.Create(options);
        var heartbeat = new NodeHeartbeat(client, options, new AgentEndpoint(10250, new string('0', 64)), NullLogger<NodeHeartbeat>.Instance, TimeProvider.System);
        await heartbeat.RegisterAsync(ct);

        var node = await _admin.CoreV1.ReadNodeAsync("joined-node", cancellationToken: ct);
        Assert.Equal("joined-node", node.Metadata.Name);
        Assert.Equal(token.Id, node.Metadata.Annotations[NodeHeartbeat.TokenIdAnnotation]);
    }

    [Fact]
    public async Task A_join_token_is_refused_what_a_node_does_not_need_and_other_nodes_with_the_apiservers_403()
    {
        var ct = _deadline.Token;
        var token = await CreateTokenAsync(TimeSpan.FromHours(1), ct);
        using var http = TrustingClient();
        var user = $"system:bootstrap:{token.Id}";

        var (status, body) = await GetAsync(http, "/api/v1/namespaces/kube-system/secrets", token.ToString(), ct);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        var refusal = JsonNode.Parse(body)!;
        Assert.Equal("Forbidden", (string?)refusal["reason"]);
        Assert.Equal(403, (int?)refusal["code"]);
        Assert.Equal("secrets", (string?)refusal["details"]!["kind"]);
        Assert.Equal(
            $"secrets is forbidden: User \"{user}\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\"",
            (string?)refusal["message"]);

        (status, body) = await GetAsync(http, $"/api/v1/namespaces/kube-system/secrets/{token.SecretName}", token.ToString(), ct);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(
            $"secrets \"{token.SecretName}\" is forbidden: User \"{user}\" cannot get resource \"secrets\" in API group \"\" in the namespace \"kube-system\"",
            (string?)JsonNode.Parse(body)!["message"]);

        using var create = new HttpRequestMessage(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments")
        {
            Content = new StringContent("""{"metadata":{"name":"x"}}""", Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.ToString());
        using var created = await http.SendAsync(create, ct);
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);

        await _admin.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "admins-node" } }, cancellationToken: ct);
        using var hijack = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/nodes/admins-node")
        {
            Content = new StringContent("""{"metadata":{"annotations":{"gantry.io/agent-certificate-sha256":"00"}}}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        hijack.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.ToString());
        using var hijacked = await http.SendAsync(hijack, ct);
        Assert.Equal(HttpStatusCode.Forbidden, hijacked.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/api/v1/pods", token.ToString(), ct)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/apis/apps/v1", token.ToString(), ct)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/api/v1/namespaces/kube-system/secrets", _server.Credentials.AdminToken, ct)).Status);
    }

    private async Task<BootstrapToken> CreateTokenAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        var token = BootstrapToken.Generate();
        await _admin.CoreV1.CreateNamespacedSecretAsync(
            BootstrapTokenSecrets.Create(token, ttl, "test", DateTimeOffset.UtcNow), BootstrapTokenSecret.Namespace, cancellationToken: cancellationToken);
        return token;
    }

    private HttpClient TrustingClient()
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPem(_server.Credentials.CaPem);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.AddRange(ca);
                return certificate is not null && chain.Build(certificate);
            },
        };
        return new HttpClient(handler) { BaseAddress = _url };
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, string path, string? bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
