using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Server.Security.ServiceAccounts;
using Gantry.Tests.Controllers;
using Gantry.Tests.Registry;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Security.ServiceAccounts;

/// <summary>The day a service account token Secret's token was last used, marked on the Secret as kube marks it.</summary>
public sealed class LegacyTokenUseTests : IAsyncLifetime
{
    private static readonly ResourceType Secrets = ResourceCatalog.Get("", "secrets");
    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");

    private RegistryTestContext _context = null!;
    private LegacyTokenUse _uses = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        _uses = new LegacyTokenUse(new InProcessClient(_context.Registry, "test"), _context.Time, NullLogger<LegacyTokenUse>.Instance);
        await _uses.StartAsync(_context.Ct);
    }

    public async Task DisposeAsync()
    {
        await _uses.StopAsync(CancellationToken.None);
        _uses.Dispose();
        await _context.DisposeAsync();
    }

    [Fact]
    public async Task A_use_marks_the_secret_with_todays_date()
    {
        var secret = await _context.CreateAsync(Secrets, Secret("builder-token"));

        _uses.Record("default", "builder-token", ObjectMetadata.Uid(secret)!, lastUsed: "2024-04-01");

        await _context.UntilStoredAsync(Secrets, () => LastUsed("builder-token") == "2024-05-01");
    }

    [Theory]
    [InlineData("2024-05-01")]
    [InlineData("2024-05-02")]
    public void A_secret_marked_today_or_tomorrow_is_not_written_again(string lastUsed)
    {
        _uses.Record("default", "builder-token", "uid", lastUsed);

        Assert.Equal(0, _uses.Pending);
    }

    [Fact]
    public async Task A_secrets_token_that_authenticates_is_marked_as_used()
    {
        var account = await _context.CreateAsync(ServiceAccounts, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "builder" } });
        var tokens = new ServiceAccountTokens(ServiceAccountKey.Generate(), _context.Time);
        var token = tokens.IssueLegacy(new LegacyTokenClaims("default", "builder-token", "builder", ObjectMetadata.Uid(account)!));
        var secret = Secret("builder-token");
        secret["data"] = new JsonObject { ["token"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(token)) };
        await _context.CreateAsync(Secrets, secret);

        Assert.NotNull(new ServiceAccountAuthenticator(tokens, _context.Cache, _context.Time, _uses).Authenticate(token));

        await _context.UntilStoredAsync(Secrets, () => LastUsed("builder-token") == "2024-05-01");
    }

    private string? LastUsed(string name) => _context.Get(Secrets, name)?["metadata"]?["labels"]?[LegacyTokenUse.LastUsedLabel]?.GetValue<string>();

    private static JsonObject Secret(string name) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["annotations"] = new JsonObject { ["kubernetes.io/service-account.name"] = "builder" },
        },
        ["type"] = "kubernetes.io/service-account-token",
    };
}
