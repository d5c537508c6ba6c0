using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Server.Api;
using Gantry.Server.Certificates;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using Gantry.Server.Security;
using Gantry.Tests.Registry;
using Gantry.Tests.Security;
using Xunit;
using static Gantry.Tests.Certificates.SigningRequestTestData;

namespace Gantry.Tests.Certificates;

/// <summary>Who may ask for, approve and sign CertificateSigningRequests, as kube's admission plugins judge it.</summary>
public sealed class SigningRequestAdmissionTests : IAsyncLifetime
{
    private static readonly ResourceType Csrs = ResourceCatalog.Get("certificates.k8s.io", "certificatesigningrequests");
    private static readonly ResourceType ClusterRoles = ResourceCatalog.Get("rbac.authorization.k8s.io", "clusterroles");
    private static readonly ResourceType ClusterRoleBindings = ResourceCatalog.Get("rbac.authorization.k8s.io", "clusterrolebindings");

    private static readonly RequestUser Jane = new("jane", ["devs", RequestUser.Authenticated]);
    private static readonly RequestUser Approver = new("approver", [RequestUser.Authenticated]);

    private RegistryTestContext _context = null!;
    private ObjectRegistry _guarded = null!;

    public async Task InitializeAsync()
    {
        _context = await RegistryTestContext.StartAsync();
        var authorizer = new RequestAuthorizer(new NodeRole(_context.Cache), new StoredRbacPolicy(_context));
        _guarded = new ObjectRegistry(
            _context.Store, _context.Cache, ResourceRulesCatalog.For, _context.Time, writeAdmission: [new SigningRequestAdmission(authorizer)]);
        // Both may create and update requests; the approver may also approve for every kubernetes.io signer.
        await Grant("csr-writer", ["jane", "approver"], ("certificatesigningrequests", null, "create,get,update"), ("certificatesigningrequests/approval", null, "update"));
        await Grant("approver", ["approver"], ("signers", "kubernetes.io/*", "approve"));
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task A_create_records_its_requester_whatever_the_body_says()
    {
        var body = SigningRequest("mine");
        body["spec"]!["username"] = "system:admin";
        body["spec"]!["groups"] = new JsonArray("system:masters");

        var created = await _guarded.CreateAsync(Csrs, null, body, new WriteOptions { User = Jane }, _context.Ct);

        Assert.Equal("jane", (string?)created["spec"]!["username"]);
        Assert.Equal(["devs", RequestUser.Authenticated], created["spec"]!["groups"]!.AsArray().Select(g => (string?)g));
    }

    [Fact]
    public async Task A_client_certificate_in_system_masters_is_not_asked_for()
    {
        var body = SigningRequest("masters", RequestPem("CN=jane, O=system:masters"));

        var error = await Assert.ThrowsAsync<ApiException>(() => _guarded.CreateAsync(Csrs, null, body, new WriteOptions { User = RequestUser.Admin }, _context.Ct));

        Assert.Equal(403, error.Code);
        Assert.Contains("use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approving_needs_approve_on_the_signer_and_the_domains_wildcard_grants_it()
    {
        var created = await _guarded.CreateAsync(Csrs, null, SigningRequest("approve-me"), new WriteOptions { User = Jane }, _context.Ct);
        created["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition("Approved")) };

        var refused = await Assert.ThrowsAsync<ApiException>(() => Approve(created, Jane));
        var approved = await Approve(created, Approver);

        Assert.Contains("user not permitted to approve requests with signerName \"kubernetes.io/kube-apiserver-client\"", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Approved", (string?)approved["status"]!["conditions"]![0]!["type"]);
    }

    [Fact]
    public async Task Any_write_to_approval_needs_approve_even_one_that_only_fails_the_request()
    {
        var created = await _guarded.CreateAsync(Csrs, null, SigningRequest("fail-me"), new WriteOptions { User = Jane }, _context.Ct);
        created["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition("Failed")) };

        var error = await Assert.ThrowsAsync<ApiException>(() => Approve(created, Jane));

        Assert.Contains("user not permitted to approve requests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_write_that_adds_a_condition_needs_sign_on_the_signer()
    {
        var created = await _context.CreateAsync(Csrs, SigningRequest("condition-me"));
        created["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition("Failed")) };

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _guarded.UpdateAsync(Csrs, null, "condition-me", created, "status", new WriteOptions { User = Approver }, _context.Ct));

        Assert.Contains("user not permitted to sign requests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setting_the_certificate_needs_sign_on_the_signer()
    {
        var created = await _context.CreateAsync(Csrs, SigningRequest("sign-me"));
        created["status"] = new JsonObject { ["certificate"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(TestCertificates.Authority().ExportCertificatePem())) };

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _guarded.UpdateAsync(Csrs, null, "sign-me", created, "status", new WriteOptions { User = Approver }, _context.Ct));

        Assert.Contains("user not permitted to sign requests with signerName \"kubernetes.io/kube-apiserver-client\"", error.Message, StringComparison.Ordinal);
    }

    private Task<JsonObject> Approve(JsonObject csr, RequestUser user) =>
        _guarded.UpdateAsync(Csrs, null, RegistryTestContext.Name(csr), csr, "approval", new WriteOptions { User = user }, _context.Ct);

    private async Task Grant(string name, string[] users, params (string Resource, string? Name, string Verbs)[] rules)
    {
        await _context.CreateAsync(ClusterRoles, new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)new JsonObject
            {
                ["apiGroups"] = new JsonArray("certificates.k8s.io"),
                ["resources"] = new JsonArray(r.Resource),
                ["resourceNames"] = r.Name is null ? null : new JsonArray(r.Name),
                ["verbs"] = new JsonArray([.. r.Verbs.Split(',').Select(v => (JsonNode)v)]),
            })]),
        });
        await _context.CreateAsync(ClusterRoleBindings, new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRoleBinding",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = name },
            ["subjects"] = new JsonArray([.. users.Select(u => (JsonNode)new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "User", ["name"] = u })]),
        });
    }
}
