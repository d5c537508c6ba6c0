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

    private static JsonObject Account(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    private ServiceAccountTokenClaims Claims(JsonObject account) => new(
        "default", ObjectMetadata.Name(account)!, ObjectMetadata.Uid(account)!, ServiceAccountTokens.ApiAudiences,
        _context.Time.GetUtcNow(), _context.Time.GetUtcNow().AddHours(1), "jti");
}
