using Gantry.Server.Informers;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Certificates;

/// <summary>
/// kube-controller-manager's csrsigning controller for the <see cref="ClusterSigner"/>: a CertificateSigningRequest for
/// it that is approved, has not failed and has no certificate yet gets one, written to its status. A request the signer
/// refuses gets a <c>Failed</c> condition (reason <c>SignerValidationFailure</c>) with why, and is not looked at again;
/// requests for other signers are left for theirs.
/// </summary>
public sealed class CertificateSigningController : BackgroundService
{
    private const int Workers = 1;
    private const string SignerValidationFailure = "SignerValidationFailure";

    private readonly SharedInformers _informers;
    private readonly Informer<V1CertificateSigningRequest> _requests;
    private readonly InProcessClient _client;
    private readonly ClusterSigner _signer;
    private readonly TimeProvider _time;
    private readonly ILogger<CertificateSigningController> _logger;
    private readonly WorkQueue<string> _queue;

    public CertificateSigningController(
        SharedInformers informers, InProcessClient client, ClusterSigner signer, TimeProvider time, ILogger<CertificateSigningController> logger)
    {
        _informers = informers;
        _requests = informers.For<V1CertificateSigningRequest>();
        _client = client;
        _signer = signer;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<string>(time);
        _requests.OnChange((_, current) =>
        {
            if (current is not null && AwaitsSigning(current))
            {
                _queue.Add(current.Metadata.Name);
            }
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _queue.RunWhenSyncedAsync(
            _informers, Workers, SyncAsync, (name, ex) => _logger.LogWarning(ex, "Signing CertificateSigningRequest {Name} failed", name), stoppingToken);

    internal async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        if (_requests.Get(null, name) is not { } cached || !AwaitsSigning(cached))
        {
            return;
        }

        // The request and its refusal or certificate are decided on the stored object, in one write; what was decided is
        // logged once that write has been made (a conflict decides again).
        string? refused = null;
        string? signedFor = null;
        await _client.MutateAsync<V1CertificateSigningRequest>(null, name, csr =>
        {
            (refused, signedFor) = (null, null);
            if (!AwaitsSigning(csr))
            {
                return;
            }

            var request = SigningRequests.Parse(csr.Spec.Request);
            var usages = csr.Spec.Usages?.ToList() ?? [];
            csr.Status ??= new V1CertificateSigningRequestStatus();
            if (ClusterSigner.Refusal(request, usages) is { } refusal)
            {
                var now = _time.GetUtcNow().UtcDateTime;
                csr.Status.Conditions ??= [];
                csr.Status.Conditions.Add(new V1CertificateSigningRequestCondition
                {
                    Type = SigningRequests.Failed,
                    Status = "True",
                    Reason = SignerValidationFailure,
                    Message = refusal,
                    LastUpdateTime = now,
                    LastTransitionTime = now,
                });
                refused = refusal;
                return;
            }

            csr.Status.Certificate = System.Text.Encoding.ASCII.GetBytes(_signer.Sign(request, usages, csr.Spec.ExpirationSeconds, _time.GetUtcNow()));
            signedFor = request.SubjectName.Name;
        }, cancellationToken, subresource: "status").ConfigureAwait(false);
        if (refused is not null)
        {
            _logger.LogInformation("CertificateSigningRequest {Name} failed the signer's checks: {Refusal}", name, refused);
        }
        else if (signedFor is not null)
        {
            _logger.LogInformation("Signed CertificateSigningRequest {Name} for {Subject}", name, signedFor);
        }
    }

    private static bool AwaitsSigning(V1CertificateSigningRequest csr) =>
        ClusterSigner.SignsFor(csr.Spec?.SignerName)
        && SigningRequests.IsApproved(csr)
        && !SigningRequests.HasTrue(csr, SigningRequests.Failed)
        && !SigningRequests.IsIssued(csr);
}
