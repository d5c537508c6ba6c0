using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Security.ServiceAccounts;
using Gantry.Tests.Registry;
using Xunit;

namespace Gantry.Tests.Security.ServiceAccounts;

public sealed class ServiceAccountAuthenticatorTests : IAsyncLifetime
{
    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");
    private static readonly ResourceType Secrets = ResourceCatalog.Get("", "secrets");
    private static readonly ResourceType Nodes = ResourceCatalog.Get("", "nodes");

    private RegistryTestContext _context = null!;
    private ServiceAccountTokens _tokens = null!;
    private ServiceAccountAuthenticator _authenticator = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _tokens = new ServiceAccountTokens(ServiceAccountKey.Generate(), _context.Time);
        _authenticator = new ServiceAccountAuthenticator(_tokens, _context.Cache, _context.Time);
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_token_authenticates_as_its_service_account_in_kubes_groups()
    {
        var account = await _context.CreateAsync(ServiceAccounts, Account("builder"));

        var user = _authenticator.Authenticate(_tokens.Issue(Claims(account)));

        Assert.NotNull(user);
        Assert.Equal("system:serviceaccount:default:builder", user.Name);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], user.Groups);
    }

    [Fact]
    public async Task A_token_of_a_service_account_deleted_and_made_again_is_refused()
    {
        var token = _tokens.Issue(Claims(await _context.CreateAsync(ServiceAccounts, Account("builder"))));
        await _context.DeleteAsync(ServiceAccounts, "builder");
        await _context.CreateAsync(ServiceAccounts, Account("builder"));

        Assert.Null(_authenticator.Authenticate(token));
    }

    [Fact]
    public async Task A_token_bound_to_a_pod_is_refused_once_the_pod_is_gone()
    {
        var account = await _context.CreateAsync(ServiceAccounts, Account("builder"));
        var pod = await _context.CreateAsync(RegistryTestContext.Pods, RegistryTestContext.Pod("web"));
        var token = _tokens.Issue(Claims(account) with { Pod = new BoundObject("web", ObjectMetadata.Uid(pod)!) });
        Assert.NotNull(_authenticator.Authenticate(token));

        await _context.DeleteAsync(RegistryTestContext.Pods, "web", new DeleteRequest(GracePeriodSeconds: 0));

        Assert.Null(_authenticator.Authenticate(token));
    }

    [Fact]
    public async Task A_token_bound_to_a_secret_is_refused_once_the_secret_is_gone()
    {
        var account = await _context.CreateAsync(ServiceAccounts, Account("builder"));
        var secret = await _context.CreateAsync(Secrets, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "anchor" } });
        var token = _tokens.Issue(Claims(account) with { Secret = new BoundObject("anchor", ObjectMetadata.Uid(secret)!) });
        Assert.NotNull(_authenticator.Authenticate(token));

        await _context.DeleteAsync(Secrets, "anchor");

        Assert.Null(_authenticator.Authenticate(token));
    }

    [Fact]
    public async Task A_token_bound_to_a_node_is_refused_for_another_node_of_that_name()
    {
        var account = await _context.CreateAsync(ServiceAccounts, Account("builder"));
        var node = await _context.Registry.CreateAsync(Nodes, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "n1" } }, new WriteOptions(), _context.Ct);
        var token = _tokens.Issue(Claims(account) with { Node = new BoundObject("n1", ObjectMetadata.Uid(node)!) });
        Assert.NotNull(_authenticator.Authenticate(token));

        await _context.Registry.DeleteAsync(Nodes, null, "n1", DeleteRequest.Default, _context.Ct);
        await _context.Registry.CreateAsync(Nodes, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "n1" } }, new WriteOptions(), _context.Ct);

        Assert.Null(_authenticator.Authenticate(token));
    }

    [Fact]
    public async Task A_secrets_token_authenticates_as_its_service_account_while_the_secret_holds_it()
    {
        var account = await _context.CreateAsync(ServiceAccounts, Account("builder"));
        var token = await HeldTokenAsync(account, "builder-token");

        var result = _authenticator.Authenticate(token, ServiceAccountTokens.ApiAudiences);

        Assert.Equal("system:serviceaccount:default:builder", result.User?.Name);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], result.User?.Groups);
        Assert.Equal(ObjectMetadata.Uid(account), result.Uid);
    }

    [Fact]
    public async Task A_secrets_token_is_refused_once_the_secret_is_deleted()
    {
        var token = await HeldTokenAsync(await _context.CreateAsync(ServiceAccounts, Account("builder")), "builder-token");

        await _context.DeleteAsync(Secrets, "builder-token");

        Assert.Null(_authenticator.Authenticate(token));
    }

    [Fact]
    public async Task A_secrets_token_the_secret_no_longer_holds_is_refused()
    {
        var account = await _context.CreateAsync(ServiceAccounts, Account("builder"));
        var token = _tokens.IssueLegacy(new LegacyTokenClaims("default", "builder-token", "builder", ObjectMetadata.Uid(account)!));
        await _context.CreateAsync(Secrets, TokenSecret("builder-token", "another token"));

        Assert.Null(_authenticator.Authenticate(token));
    }

    [Fact]
    public async Task A_secrets_token_of_a_service_account_deleted_and_made_again_is_refused()
    {
        var token = await HeldTokenAsync(await _context.CreateAsync(ServiceAccounts, Account("builder")), "builder-token");
        await _context.DeleteAsync(ServiceAccounts, "builder");
        await _context.CreateAsync(ServiceAccounts, Account("builder"));

        Assert.Null(_authenticator.Authenticate(token));
    }

    [Fact]
    public async Task A_secrets_token_marked_invalid_is_refused_in_kubes_words()
    {
        var token = await HeldTokenAsync(await _context.CreateAsync(ServiceAccounts, Account("builder")), "builder-token");
        await _context.MutateAsync(Secrets, "builder-token", secret =>
        {
            secret["metadata"]!["labels"] = new JsonObject { [ServiceAccountAuthenticator.LegacyTokenInvalidSince] = "2026-11-01" };
            return secret;
        });

        var result = _authenticator.Authenticate(token, ServiceAccountTokens.ApiAudiences);

        Assert.Null(result.User);
        Assert.StartsWith("the token in secret default/builder-token for service account default/builder has been marked invalid.", result.Error);
    }

    [Fact]
    public async Task A_secrets_token_is_refused_for_audiences_other_than_the_api_servers()
    {
        var token = await HeldTokenAsync(await _context.CreateAsync(ServiceAccounts, Account("builder")), "builder-token");

        var result = _authenticator.Authenticate(token, ["vault"]);

        Assert.Null(result.User);
        Assert.Equal("token audiences [\"https://kubernetes.default.svc.cluster.local\"] is invalid for the target audiences [\"vault\"]", result.Error);
    }

    /// <summary>A token for the account, held by a token Secret of that name as the token controller leaves it.</summary>
    private async Task<string> HeldTokenAsync(JsonObject account, string secret)
    {
        var token = _tokens.IssueLegacy(new LegacyTokenClaims("default", secret, ObjectMetadata.Name(account)!, ObjectMetadata.Uid(account)!));
        await _context.CreateAsync(Secrets, TokenSecret(secret, token));
        return token;
    }

    private static JsonObject TokenSecret(string name, string token) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["annotations"] = new JsonObject { ["kubernetes.io/service-account.name"] = "builder" },
        },
        ["type"] = "kubernetes.io/service-account-token",
        ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(token)) },
    };

    private static JsonObject Account(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    private ServiceAccountTokenClaims Claims(JsonObject account) => new(
        "default", ObjectMetadata.Name(account)!, ObjectMetadata.Uid(account)!, ServiceAccountTokens.ApiAudiences,
        _context.Time.GetUtcNow(), _context.Time.GetUtcNow().AddHours(1), "jti");
}
