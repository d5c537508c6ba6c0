using System.Text;
using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Security.ServiceAccounts;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using TokenSecret = Gantry.Server.Controllers.ServiceAccountTokenController.TokenSecret;

namespace Gantry.Tests.Controllers;

/// <summary>The service account token controller on real informers over a registry; its loop never runs.</summary>
public sealed class ServiceAccountTokenControllerTests : IAsyncLifetime
{
    private static readonly ResourceType Secrets = ResourceCatalog.Get("", "secrets");
    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");
    private const string CaPem = "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n";

    private InformedRegistry _registry = null!;
    private ServiceAccountTokens _tokens = null!;
    private ServiceAccountTokenController _controller = null!;

    public async Task InitializeAsync()
    {
        _registry = await InformedRegistry.CreateAsync();
        _tokens = new ServiceAccountTokens(ServiceAccountKey.Generate(), _registry.Context.Time);
        _controller = new ServiceAccountTokenController(
            _registry.Informers, _registry.Client, _tokens, new RootCaBundle(CaPem), _registry.Context.Time,
            NullLogger<ServiceAccountTokenController>.Instance);
        await _registry.RunInformersAsync();
    }

    public Task DisposeAsync() => _registry.DisposeAsync().AsTask();

    [Fact]
    public async Task A_token_secret_gets_a_token_for_its_service_account_the_ca_and_its_namespace()
    {
        var account = await _registry.Client.CreateAsync(Account("builder"), _registry.Context.Ct);
        await _registry.Client.CreateAsync(TokenSecret("builder-token", "builder"), _registry.Context.Ct);

        await SyncAsync("builder-token");

        var secret = Stored("builder-token")!;
        Assert.Equal(CaPem, Encoding.UTF8.GetString(secret.Data["ca.crt"]));
        Assert.Equal("default", Encoding.UTF8.GetString(secret.Data["namespace"]));
        Assert.Equal(account.Uid(), secret.Metadata.Annotations[ServiceAccountTokenController.UidAnnotation]);
        Assert.Equal(
            new LegacyTokenClaims("default", "builder-token", "builder", account.Uid()),
            _tokens.VerifyLegacy(Encoding.UTF8.GetString(secret.Data["token"])));
    }

    [Fact]
    public async Task A_token_the_secret_already_holds_is_kept()
    {
        await _registry.Client.CreateAsync(Account("builder"), _registry.Context.Ct);
        var secret = TokenSecret("builder-token", "builder");
        secret.Data = new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("mine") };
        await _registry.Client.CreateAsync(secret, _registry.Context.Ct);

        await SyncAsync("builder-token");

        Assert.Equal("mine", Encoding.UTF8.GetString(Stored("builder-token")!.Data["token"]));
    }

    [Fact]
    public async Task A_token_secret_whose_service_account_does_not_exist_is_deleted()
    {
        await _registry.Client.CreateAsync(TokenSecret("orphan-token", "nobody"), _registry.Context.Ct);

        await SyncAsync("orphan-token");

        Assert.Null(Stored("orphan-token"));
    }

    [Fact]
    public async Task A_token_secret_of_an_earlier_service_account_of_the_same_name_is_deleted()
    {
        await _registry.Client.CreateAsync(Account("builder"), _registry.Context.Ct);
        var secret = TokenSecret("old-token", "builder");
        secret.Metadata.Annotations[ServiceAccountTokenController.UidAnnotation] = "an-earlier-uid";
        await _registry.Client.CreateAsync(secret, _registry.Context.Ct);

        await SyncAsync("old-token");

        Assert.Null(Stored("old-token"));
    }

    [Fact]
    public async Task The_token_secrets_of_a_deleted_service_account_are_deleted()
    {
        await _registry.Client.CreateAsync(Account("builder"), _registry.Context.Ct);
        await _registry.Client.CreateAsync(TokenSecret("builder-token", "builder"), _registry.Context.Ct);
        await SyncAsync("builder-token");

        await _registry.Client.DeleteAsync<V1ServiceAccount>("default", "builder", Server.Registry.DeleteRequest.Default, _registry.Context.Ct);
        await _registry.SettleAsync<V1ServiceAccount>(ServiceAccounts);

        await SyncAsync("builder-token");
        Assert.Null(Stored("builder-token"));
    }

    [Fact]
    public async Task A_deleted_token_secret_leaves_its_service_accounts_secrets()
    {
        var account = Account("builder");
        account.Secrets = [new V1ObjectReference { Name = "builder-token" }, new V1ObjectReference { Name = "other" }];
        var created = await _registry.Client.CreateAsync(account, _registry.Context.Ct);
        await _registry.SettleAsync<V1ServiceAccount>(ServiceAccounts);

        await _controller.SyncAsync(new TokenSecret("default", "builder-token", new BoundObject("builder", created.Uid())), _registry.Context.Ct);

        var stored = KubernetesJson.Deserialize<V1ServiceAccount>(_registry.Context.Get(ServiceAccounts, "builder")!.ToJsonString());
        Assert.Equal(["other"], stored.Secrets.Select(s => s.Name));
    }

    [Fact]
    public async Task A_secret_of_another_type_is_left_alone()
    {
        await _registry.Client.CreateAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "plain", NamespaceProperty = "default" }, Type = "Opaque" }, _registry.Context.Ct);

        await SyncAsync("plain");

        Assert.Null(Stored("plain")!.Data);
    }

    private static V1ServiceAccount Account(string name) => new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" } };

    private static V1Secret TokenSecret(string name, string account) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Annotations = new Dictionary<string, string> { [ServiceAccountTokenController.NameAnnotation] = account },
        },
        Type = ServiceAccountTokenController.SecretType,
    };

    /// <summary>One sync, once the controller's informers hold what is stored.</summary>
    private async Task SyncAsync(string name)
    {
        await _registry.SettleAsync<V1Secret>(Secrets);
        await _registry.SettleAsync<V1ServiceAccount>(ServiceAccounts);
        await _controller.SyncAsync(new TokenSecret("default", name, null), _registry.Context.Ct);
    }

    private V1Secret? Stored(string name) =>
        _registry.Context.Get(Secrets, name) is { } json ? KubernetesJson.Deserialize<V1Secret>(json.ToJsonString()) : null;
}
