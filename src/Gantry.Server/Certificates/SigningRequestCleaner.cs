using System.Security.Cryptography.X509Certificates;
using Gantry.Server.Api;
using Gantry.Server.Informers;
using Gantry.Server.Registry;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Certificates;

/// <summary>
/// kube-controller-manager's csrcleaner: once an hour, CertificateSigningRequests that are done with are deleted: an issued
/// or denied or failed request an hour after that condition was last updated, one still pending a day after its
/// creation, and one whose certificate has expired.
/// </summary>
public sealed class SigningRequestCleaner : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private static readonly TimeSpan DoneFor = TimeSpan.FromHours(1);
    private static readonly TimeSpan PendingFor = TimeSpan.FromHours(24);

    private readonly SharedInformers _informers;
    private readonly Informer<V1CertificateSigningRequest> _requests;
    private readonly InProcessClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<SigningRequestCleaner> _logger;

    public SigningRequestCleaner(SharedInformers informers, InProcessClient client, TimeProvider time, ILogger<SigningRequestCleaner> logger)
    {
        _informers = informers;
        _requests = informers.For<V1CertificateSigningRequest>();
        _client = client;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether <paramref name="csr"/> is done with at <paramref name="now"/>, as kube's cleaner judges it.</summary>
    public static bool IsDoneWith(V1CertificateSigningRequest csr, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(csr);
        var conditions = csr.Status?.Conditions ?? [];
        if (conditions.Count == 0)
        {
            return csr.Metadata.CreationTimestamp is { } created && Older(created, now, PendingFor);
        }

        var issued = SigningRequests.IsIssued(csr);
        return conditions.Any(c => c.LastUpdateTime is { } updated && Older(updated, now, DoneFor) && c.Type switch
        {
            SigningRequests.Approved => issued,
            SigningRequests.Denied or SigningRequests.Failed => true,
            _ => false,
        }) || (issued && conditions.Any(c => c.Type == SigningRequests.Approved) && Expired(csr.Status!.Certificate, now));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _informers.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(Period, _time);
            do
            {
                await CleanAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CleanAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var csr in _requests.List(r => IsDoneWith(r, now)))
        {
            try
            {
                await _client.DeleteAsync<V1CertificateSigningRequest>(
                    null, csr.Metadata.Name, new DeleteRequest(PreconditionUid: csr.Metadata.Uid), cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Cleaned up CertificateSigningRequest {Name}", csr.Metadata.Name);
            }
            catch (ApiException ex) when (ex.Code is 404 or 409)
            {
                // Gone already, or another request of the same name.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next pass tries again; a failed delete must not stop the server's other loops.
                _logger.LogWarning(ex, "Cleaning up CertificateSigningRequest {Name} failed", csr.Metadata.Name);
            }
        }
    }

    private static bool Older(DateTime time, DateTimeOffset now, TimeSpan age) =>
        new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) + age < now;

    private static bool Expired(byte[] pem, DateTimeOffset now)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(System.Text.Encoding.ASCII.GetString(pem));
            return certificates.Any(c => c.NotAfter.ToUniversalTime() < now.UtcDateTime);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
