using System.Text;
using Gantry.Server.Certificates;
using Gantry.Tests.Security;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Certificates;

/// <summary>Which CertificateSigningRequests kube's csrcleaner deletes.</summary>
public sealed class SigningRequestCleanerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void A_pending_request_goes_a_day_after_its_creation()
    {
        Assert.False(SigningRequestCleaner.IsDoneWith(Request(created: Now.AddHours(-23)), Now));
        Assert.True(SigningRequestCleaner.IsDoneWith(Request(created: Now.AddHours(-25)), Now));
    }

    [Fact]
    public void An_issued_request_goes_an_hour_after_its_approval()
    {
        var issued = Certificate(Now.AddDays(30));

        Assert.False(SigningRequestCleaner.IsDoneWith(Request(Now.AddMinutes(-59), "Approved", issued), Now));
        Assert.True(SigningRequestCleaner.IsDoneWith(Request(Now.AddMinutes(-61), "Approved", issued), Now));
    }

    [Fact]
    public void An_approved_request_waits_for_its_certificate()
    {
        Assert.False(SigningRequestCleaner.IsDoneWith(Request(Now.AddHours(-5), "Approved"), Now));
    }

    [Theory]
    [InlineData("Denied")]
    [InlineData("Failed")]
    public void A_denied_or_failed_request_goes_an_hour_after_it(string condition)
    {
        Assert.False(SigningRequestCleaner.IsDoneWith(Request(Now.AddMinutes(-30), condition), Now));
        Assert.True(SigningRequestCleaner.IsDoneWith(Request(Now.AddMinutes(-61), condition), Now));
    }

    [Fact]
    public void A_request_whose_certificate_expired_goes_at_once() =>
        Assert.True(SigningRequestCleaner.IsDoneWith(Request(Now.AddMinutes(-1), "Approved", Certificate(Now.AddMinutes(-1))), Now));

    private static V1CertificateSigningRequest Request(DateTimeOffset created, string? condition = null, byte[]? certificate = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "csr", CreationTimestamp = created.UtcDateTime },
        Spec = new V1CertificateSigningRequestSpec(),
        Status = new V1CertificateSigningRequestStatus
        {
            Conditions = condition is null ? null : [new V1CertificateSigningRequestCondition { Type = condition, Status = "True", LastUpdateTime = created.UtcDateTime }],
            Certificate = certificate,
        },
    };

    private static byte[] Certificate(DateTimeOffset notAfter) =>
        Encoding.ASCII.GetBytes(TestCertificates.Client(TestCertificates.Authority(), "CN=jane", notAfter: notAfter).ExportCertificatePem());
}
