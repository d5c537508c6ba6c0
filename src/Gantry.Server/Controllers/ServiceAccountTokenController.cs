using System.Text;
using System.Text.Json;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using Gantry.Server.Security.ServiceAccounts;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Controllers;

/// <summary>
/// Kubernetes' service account token controller, for the Secrets it still fills: a Secret of type
/// <c>kubernetes.io/service-account-token</c> naming a service account (<c>kubernetes.io/service-account.name</c>) gets
/// a long-lived token for it, the cluster CA and its namespace (<c>data.token</c>, <c>ca.crt</c>, <c>namespace</c>) and
/// the service account's uid (<c>kubernetes.io/service-account.uid</c>). Such a Secret whose service account is gone, or
/// is another of that name now, is deleted; so are a deleted service account's. A deleted Secret leaves the
/// <c>secrets</c> list of its service account.
/// </summary>
public sealed class ServiceAccountTokenController : BackgroundService
{
    public const string SecretType = "kubernetes.io/service-account-token";

    public const string NameAnnotation = "kubernetes.io/service-account.name";

    public const string UidAnnotation = "kubernetes.io/service-account.uid";

    private const int Workers = 1;

    private static readonly ResourceType ServiceAccounts = ResourceCatalog.Get("", "serviceaccounts");

    private readonly SharedInformers _informers;
    private readonly Informer<V1Secret> _secrets;
    private readonly Informer<V1ServiceAccount> _serviceAccounts;
    private readonly InProcessClient _client;
    private readonly ServiceAccountTokens _tokens;
    private readonly byte[] _caPem;
    private readonly ILogger<ServiceAccountTokenController> _logger;
    private readonly WorkQueue<TokenSecret> _queue;

    public ServiceAccountTokenController(
        SharedInformers informers,
        InProcessClient client,
        ServiceAccountTokens tokens,
        RootCaBundle bundle,
        TimeProvider time,
        ILogger<ServiceAccountTokenController> logger)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        _informers = informers;
        _secrets = informers.For<V1Secret>();
        _serviceAccounts = informers.For<V1ServiceAccount>();
        _client = client;
        _tokens = tokens;
        _caPem = Encoding.UTF8.GetBytes(bundle.Pem);
        _logger = logger;
        _queue = new WorkQueue<TokenSecret>(time);
        _secrets.OnChange((old, current) =>
        {
            if (current is { Type: SecretType })
            {
                _queue.Add(new TokenSecret(current.Namespace(), current.Name(), null));
            }
            else if (current is null && old is { Type: SecretType } && ServiceAccountOf(old) is { } account)
            {
                _queue.Add(new TokenSecret(old.Namespace(), old.Name(), account));
            }
        });
        _serviceAccounts.OnChange((old, current) =>
        {
            if (current is null && old is not null)
            {
                foreach (var secret in _secrets.List().Where(s => s.Type == SecretType && s.Namespace() == old.Namespace() && Names(s, old)))
                {
                    _queue.Add(new TokenSecret(secret.Namespace(), secret.Name(), null));
                }
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers,
            Workers,
            SyncAsync,
            (secret, ex) => _logger.LogWarning(ex, "Keeping the token of secret {Namespace}/{Name} failed", secret.Namespace, secret.Name),
            stoppingToken);

    internal async Task SyncAsync(TokenSecret key, CancellationToken cancellationToken)
    {
        try
        {
            if (_secrets.Get(key.Namespace, key.Name) is not { Type: SecretType } secret)
            {
                if (key.DeletedFrom is { } account)
                {
                    await ForgetAsync(key, account, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (ServiceAccountOf(secret) is not { } named)
            {
                return;
            }

            // Read from the registry, not an informer: a Secret made right after its service account must not be
            // taken for an orphan because the service accounts' informer has yet to hear of it.
            if (LiveUid(key.Namespace, named.Name) is not { } uid || (named.Uid.Length > 0 && named.Uid != uid))
            {
                await _client.DeleteAsync<V1Secret>(key.Namespace, key.Name, new DeleteRequest(PreconditionUid: secret.Uid()), cancellationToken)
                    .ConfigureAwait(false);
                return;
            }

            if (!NeedsFilling(secret))
            {
                return;
            }

            await _client.MutateAsync<V1Secret>(key.Namespace, key.Name, live => Fill(live, named.Name, uid), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            // Gone meanwhile, or another Secret or service account now has the name: the informers bring the rest back.
        }
    }

    private bool NeedsFilling(V1Secret secret) =>
        secret.Data is not { } data ||
        !data.TryGetValue("token", out var token) || token.Length == 0 ||
        !data.TryGetValue("namespace", out var ns) || ns.Length == 0 ||
        !data.TryGetValue("ca.crt", out var ca) || !ca.AsSpan().SequenceEqual(_caPem);

    /// <summary>What kube's <c>generateTokenIfNeeded</c> sets, on the Secret as it is now; a token it holds is kept.</summary>
    private void Fill(V1Secret secret, string serviceAccount, string uid)
    {
        secret.Data ??= new Dictionary<string, byte[]>();
        secret.Data["ca.crt"] = _caPem;
        if (!secret.Data.TryGetValue("namespace", out var ns) || ns.Length == 0)
        {
            secret.Data["namespace"] = Encoding.UTF8.GetBytes(secret.Namespace());
        }

        if (!secret.Data.TryGetValue("token", out var token) || token.Length == 0)
        {
            secret.Data["token"] = Encoding.UTF8.GetBytes(
                _tokens.IssueLegacy(new LegacyTokenClaims(secret.Namespace(), secret.Name(), serviceAccount, uid)));
        }

        secret.Metadata.Annotations ??= new Dictionary<string, string>();
        secret.Metadata.Annotations[NameAnnotation] = serviceAccount;
        secret.Metadata.Annotations[UidAnnotation] = uid;
    }

    /// <summary>Takes a deleted Secret out of its service account's <c>secrets</c>, when that account still lists it.</summary>
    private async Task ForgetAsync(TokenSecret key, BoundObject account, CancellationToken cancellationToken)
    {
        var uid = LiveUid(key.Namespace, account.Name);
        if (uid is null || (account.Uid.Length > 0 && account.Uid != uid) ||
            _serviceAccounts.Get(key.Namespace, account.Name)?.Secrets?.Any(s => s.Name == key.Name) != true)
        {
            return;
        }

        await _client.MutateAsync<V1ServiceAccount>(key.Namespace, account.Name, live =>
        {
            live.Secrets = live.Secrets?.Where(s => s.Name != key.Name).ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The uid of the service account as stored now, or null when there is none or its deletion is under way.</summary>
    private string? LiveUid(string ns, string name)
    {
        if (_client.Registry.Get(ServiceAccounts, ns, name) is not { } cached)
        {
            return null;
        }

        using var document = JsonDocument.Parse(cached.Json);
        var metadata = document.RootElement.GetProperty("metadata");
        return metadata.TryGetProperty("deletionTimestamp", out _) ? null : metadata.GetProperty("uid").GetString();
    }

    /// <summary>The service account a token Secret names, with the uid it names (empty when it names none yet).</summary>
    private static BoundObject? ServiceAccountOf(V1Secret secret) =>
        secret.Metadata.Annotations is { } annotations && annotations.TryGetValue(NameAnnotation, out var name) && name.Length > 0
            ? new BoundObject(name, annotations.TryGetValue(UidAnnotation, out var uid) ? uid : "")
            : null;

    /// <summary>Whether the Secret is a token of this service account (kube's <c>IsServiceAccountToken</c>).</summary>
    private static bool Names(V1Secret secret, V1ServiceAccount account) =>
        ServiceAccountOf(secret) is { } named && named.Name == account.Name() && (named.Uid.Length == 0 || named.Uid == account.Uid());

    /// <summary>A token Secret to look at; for one just deleted, the service account it belonged to.</summary>
    internal sealed record TokenSecret(string Namespace, string Name, BoundObject? DeletedFrom);
}
