using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api.Tables;
using Xunit;

namespace Gantry.Tests.Certificates;

public sealed class CertificateSigningRequestPrinterTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResourceType Csrs = ResourceCatalog.Get("certificates.k8s.io", "certificatesigningrequests");

    private static string[] Cells(string json) =>
        [.. TableConverter.ForObject(Csrs, JsonNode.Parse(json)!.AsObject(), Now, IncludeObjectPolicy.Metadata)["rows"]![0]!["cells"]!.AsArray()
            .Select(c => c!.ToString())];

    [Fact]
    public void A_pending_request_shows_its_signer_requester_and_duration()
    {
        var cells = Cells("""
            {"metadata": {"name": "jane", "creationTimestamp": "2025-06-01T11:58:00Z"},
             "spec": {"signerName": "kubernetes.io/kube-apiserver-client", "username": "system:admin", "expirationSeconds": 86400}}
            """);

        Assert.Equal(["jane", "2m", "kubernetes.io/kube-apiserver-client", "system:admin", "24h", "Pending"], cells);
    }

    [Theory]
    [InlineData("""[{"type": "Approved", "status": "True"}]""", "", "Approved")]
    [InlineData("""[{"type": "Approved", "status": "True"}, {"type": "Failed", "status": "True"}]""", "", "Approved,Failed")]
    [InlineData("""[{"type": "Denied", "status": "True"}]""", "", "Denied")]
    [InlineData("""[{"type": "Approved", "status": "True"}]""", "LS0t", "Approved,Issued")]
    public void The_condition_sums_up_approval_failure_and_issuance(string conditions, string certificate, string expected)
    {
        var status = $$$"""{"conditions": {{{conditions}}}, "certificate": "{{{certificate}}}"}""";
        var cells = Cells($$"""{"metadata": {"name": "jane"}, "spec": {}, "status": {{status}} }""");

        Assert.Equal(["<none>", "<none>", expected], cells[2..3].Concat(cells[4..]));
    }
}
