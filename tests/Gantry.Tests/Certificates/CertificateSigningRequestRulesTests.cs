using System.Text;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Tests.Registry;
using Xunit;
using static Gantry.Tests.Certificates.SigningRequestTestData;

namespace Gantry.Tests.Certificates;

/// <summary>kube's validation and strategies of CertificateSigningRequests, through a real registry.</summary>
public sealed class CertificateSigningRequestRulesTests : IAsyncLifetime
{
    private static readonly ResourceType Csrs = ResourceCatalog.Get("certificates.k8s.io", "certificatesigningrequests");

    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await RegistryTestContext.StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_request_that_is_no_pem_certificate_request_is_invalid()
    {
        var error = await RefusedAsync(SigningRequest("bad", requestPem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));

        Assert.Contains("spec.request: Invalid value: PEM block type must be CERTIFICATE REQUEST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usages_must_be_given_known_and_each_once()
    {
        var none = await RefusedAsync(WithUsages(SigningRequest("none")));
        var unknown = await RefusedAsync(WithUsages(SigningRequest("unknown"), "client auth", "teleport"));
        var twice = await RefusedAsync(WithUsages(SigningRequest("twice"), "client auth", "client auth"));

        Assert.Contains("spec.usages: Required value", none.Message, StringComparison.Ordinal);
        Assert.Contains("spec.usages[1]: Unsupported value: \"teleport\": supported values: \"any\", \"cert sign\", \"client auth\"", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("spec.usages[1]: Duplicate value: \"client auth\"", twice.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "spec.signerName: Required value")]
    [InlineData("example", "spec.signerName: Invalid value: \"example\": must be a fully qualified domain and path of the form 'example.com/signer-name'")]
    [InlineData("example/signer", "spec.signerName: Invalid value: \"example\": should be a domain with at least two segments separated by dots")]
    [InlineData("kubernetes.io/legacy-unknown", "spec.signerName: Invalid value: \"kubernetes.io/legacy-unknown\": the legacy signerName is not allowed via this API version")]
    public async Task The_signer_is_named_as_domain_and_path(string signer, string message)
    {
        var error = await RefusedAsync(SigningRequest("signer", signer: signer));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duration_under_ten_minutes_is_invalid()
    {
        var error = await RefusedAsync(SigningRequest("short", expirationSeconds: 599));

        Assert.Contains("spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_leaves_no_status()
    {
        var body = SigningRequest("fresh");
        body["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition("Approved")) };

        var created = await _context.CreateAsync(Csrs, body);

        Assert.Null(created["status"]);
    }

    [Fact]
    public async Task An_approval_changes_the_conditions_alone_and_stamps_their_times()
    {
        var created = await _context.CreateAsync(Csrs, SigningRequest("approve"));
        var body = created.DeepClone().AsObject();
        body["spec"]!["signerName"] = "example.com/other";
        body["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(Condition("Approved", reason: "KubectlApprove")),
            ["certificate"] = "bm90IGEgY2VydGlmaWNhdGU=",
        };

        var approved = await _context.UpdateAsync(Csrs, body, subresource: "approval");

        Assert.Equal(ClientSigner, (string?)approved["spec"]!["signerName"]);
        Assert.Null(approved["status"]!["certificate"]);
        var condition = approved["status"]!["conditions"]![0]!;
        Assert.Equal(("Approved", "KubectlApprove"), ((string?)condition["type"], (string?)condition["reason"]));
        Assert.Equal("2024-05-01T12:00:00Z", (string?)condition["lastUpdateTime"]);
        Assert.Equal("2024-05-01T12:00:00Z", (string?)condition["lastTransitionTime"]);
    }

    [Fact]
    public async Task Approved_and_denied_exclude_each_other()
    {
        var created = await _context.CreateAsync(Csrs, SigningRequest("both"));
        var body = created.DeepClone().AsObject();
        body["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition("Approved"), Condition("Denied")) };

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(Csrs, body, subresource: "approval"));

        Assert.Contains("status.conditions[1].type: Invalid value: \"Denied\": Approved and Denied conditions are mutually exclusive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_is_only_ever_true()
    {
        var created = await _context.CreateAsync(Csrs, SigningRequest("false"));
        var body = created.DeepClone().AsObject();
        body["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition("Approved", status: "False")) };

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(Csrs, body, subresource: "approval"));

        Assert.Contains("status.conditions[0].status: Unsupported value: \"False\": supported values: \"True\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_write_keeps_the_stored_approval()
    {
        var created = await _context.CreateAsync(Csrs, SigningRequest("status"));
        var body = created.DeepClone().AsObject();
        body["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition("Approved"), Condition("Failed", reason: "SignerValidationFailure")) };

        var written = await _context.UpdateAsync(Csrs, body, subresource: "status");

        var conditions = written["status"]!["conditions"]!.AsArray();
        Assert.Equal(["Failed"], conditions.Select(c => (string?)c!["type"]));
    }

    [Fact]
    public async Task An_issued_certificate_never_changes_and_a_condition_is_never_removed()
    {
        var approved = await ApprovedAsync("issued");
        approved["status"]!["certificate"] = Pem(SelfSigned());
        var issued = await _context.UpdateAsync(Csrs, approved, subresource: "status");
        issued["status"]!["certificate"] = Pem(SelfSigned());
        var approval = issued.DeepClone().AsObject();
        approval["status"]!.AsObject().Remove("conditions");

        var replaced = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(Csrs, issued, subresource: "status"));
        var removed = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(Csrs, approval, subresource: "approval"));

        Assert.Contains("status.certificate: Forbidden: updates may not modify existing certificate content", replaced.Message, StringComparison.Ordinal);
        Assert.Contains("status.conditions: Forbidden: updates may not remove a condition of type \"Approved\"", removed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_must_be_pem_certificates()
    {
        var approved = await ApprovedAsync("garbage");
        approved["status"]!["certificate"] = Convert.ToBase64String(Encoding.ASCII.GetBytes("not pem"));

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.UpdateAsync(Csrs, approved, subresource: "status"));

        Assert.Contains("status.certificate: Invalid value: \"<certificate data>\": must contain at least one CERTIFICATE PEM block", error.Message, StringComparison.Ordinal);
    }

    private async Task<JsonObject> ApprovedAsync(string name)
    {
        var created = await _context.CreateAsync(Csrs, SigningRequest(name));
        created["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition("Approved")) };
        return await _context.UpdateAsync(Csrs, created, subresource: "approval");
    }

    private async Task<ApiException> RefusedAsync(JsonObject body)
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => _context.CreateAsync(Csrs, body));
        Assert.Equal(422, error.Code);
        return error;
    }

    private static JsonObject WithUsages(JsonObject body, params string[] usages)
    {
        body["spec"]!["usages"] = new JsonArray([.. usages.Select(u => (JsonNode)u)]);
        return body;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSigned() => Security.TestCertificates.Authority("issued");

    private static string Pem(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
}
