using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Api.Reviews;
using Gantry.Server.Registry;
using Gantry.Server.Security;
using Gantry.Server.Security.ServiceAccounts;
using Gantry.Tests.Registry;
using Gantry.Tests.Security;
using Xunit;

namespace Gantry.Tests.Api.Reviews;

/// <summary>What a component that delegates authentication is told of a token, as kube-apiserver's TokenReview answers.</summary>
public sealed class TokenReviewsTests : IAsyncLifetime
{
    private const string AdminToken = "admin-token-for-tests";

    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");

    private RegistryTestContext _context = null!;
    private ServiceAccountTokens _tokens = null!;
    private TokenReviews _reviews = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _tokens = new ServiceAccountTokens(ServiceAccountKey.Generate(), _context.Time);
        var authentication = new TokenAuthentication(AdminToken, serviceAccounts: new ServiceAccountAuthenticator(_tokens, _context.Cache, _context.Time));
        _reviews = new TokenReviews(authentication, new RequestAuthorizer(new NodeRole(_context.Cache), new StoredRbacPolicy(_context)));
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void The_admin_token_authenticates_as_the_admin_for_the_servers_audience()
    {
        var status = _reviews.Answer(Review(AdminToken))["status"]!;

        Assert.Equal(
            """{"authenticated":true,"user":{"username":"system:admin","groups":["system:masters","system:authenticated"]},"audiences":["https://kubernetes.default.svc.cluster.local"]}""",
            status.ToJsonString());
    }

    [Fact]
    public void The_admin_token_is_not_good_for_another_audience()
    {
        var status = _reviews.Answer(Review(AdminToken, "vault"))["status"]!;

        Assert.Null(status["authenticated"]);
        Assert.Equal("invalid bearer token", (string?)status["error"]);
    }

    [Fact]
    public async Task A_service_account_token_authenticates_as_its_account_with_its_uid_and_kubes_extra()
    {
        var account = await _context.CreateAsync(ServiceAccounts, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "builder" } });
        var token = _tokens.Issue(Claims(account, ServiceAccountTokens.ApiAudiences));

        var status = _reviews.Answer(Review(token))["status"]!;

        Assert.True((bool)status["authenticated"]!);
        Assert.Equal(
            $$$"""{"username":"system:serviceaccount:default:builder","uid":"{{{ObjectMetadata.Uid(account)}}}","groups":["system:serviceaccounts","system:serviceaccounts:default","system:authenticated"],"extra":{"authentication.kubernetes.io/credential-id":["JTI=jti-1"]}}""",
            status["user"]!.ToJsonString());
    }

    [Fact]
    public async Task A_service_account_token_is_good_for_the_audiences_asked_that_it_carries()
    {
        var account = await _context.CreateAsync(ServiceAccounts, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "builder" } });
        var token = _tokens.Issue(Claims(account, ["vault", "minio"]));

        var status = _reviews.Answer(Review(token, "minio", "other"))["status"]!;

        Assert.True((bool)status["authenticated"]!);
        Assert.Equal("""["minio"]""", status["audiences"]!.ToJsonString());
    }

    [Fact]
    public async Task A_service_account_token_for_other_audiences_is_refused_in_kubes_words()
    {
        var account = await _context.CreateAsync(ServiceAccounts, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "builder" } });
        var token = _tokens.Issue(Claims(account, ServiceAccountTokens.ApiAudiences));

        var status = _reviews.Answer(Review(token, "vault"))["status"]!;

        Assert.Null(status["authenticated"]);
        Assert.Equal("{}", status["user"]!.ToJsonString());
        Assert.Equal(
            "[invalid bearer token, token audiences [\"https://kubernetes.default.svc.cluster.local\"] is invalid for the target audiences [\"vault\"]]",
            (string?)status["error"]);
    }

    [Fact]
    public void A_token_no_authenticator_accepts_is_answered_unauthenticated_not_refused()
    {
        var answer = _reviews.Answer(Review("not-a-token.at.all"));

        Assert.Equal("""{"user":{},"error":"invalid bearer token"}""", answer["status"]!.ToJsonString());
        Assert.Equal("""{"creationTimestamp":null}""", answer["metadata"]!.ToJsonString());
    }

    [Fact]
    public void An_empty_token_is_kubes_bad_request()
    {
        var error = Assert.Throws<ApiException>(() => _reviews.Answer(Review("")));

        Assert.Equal(400, error.Code);
        Assert.Equal("token is required for TokenReview in authentication", error.Message);
    }

    private static JsonObject Review(string token, params string[] audiences)
    {
        var spec = new JsonObject { ["token"] = token };
        if (audiences.Length > 0)
        {
            spec["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]);
        }

        return new JsonObject { ["kind"] = "TokenReview", ["apiVersion"] = "authentication.k8s.io/v1", ["spec"] = spec };
    }

    private ServiceAccountTokenClaims Claims(JsonObject account, IReadOnlyList<string> audiences) => new(
        "default", ObjectMetadata.Name(account)!, ObjectMetadata.Uid(account)!, audiences,
        _context.Time.GetUtcNow(), _context.Time.GetUtcNow().AddHours(1), "jti-1");
}
