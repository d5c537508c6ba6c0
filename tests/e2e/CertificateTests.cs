using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>
/// A user's client certificate, the way kube's documentation adds a user: a key and a CSR made with openssl, a
/// CertificateSigningRequest for the <c>kubernetes.io/kube-apiserver-client</c> signer, <c>kubectl certificate
/// approve</c>, and a kubeconfig with the issued certificate, which the server then knows by its common name.
/// </summary>
[Collection(GantryCollection.Name)]
public sealed class CertificateTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Signer = "kubernetes.io/kube-apiserver-client";

    [Fact]
    public async Task An_approved_signing_request_issues_a_certificate_that_authenticates_its_common_name()
    {
        var ns = await CreateNamespaceAsync("csr-user");
        var user = $"{ns}-dev";
        var (key, request) = await KeyAndRequestAsync($"/CN={user}/O=developers");
        await Ok("create", "-f", SigningRequestManifest(user, request));

        Check.Equal("Pending", Cells((await Ok("get", "csr", user, "--no-headers")).Stdout.Trim())[5], "condition before approval");
        Check.StdoutContains(await Ok("certificate", "approve", user), $"certificatesigningrequest.certificates.k8s.io/{user} approved");
        var certificate = await Eventually.Until(
            () => Run("get", "csr", user, "-o", "jsonpath={.status.certificate}"),
            r => r.Succeeded && r.Stdout.Length > 0,
            Patience,
            "the certificate to be issued");
        var row = Cells((await Ok("get", "csr", user, "--no-headers")).Stdout.Trim());
        Check.Equal((Signer, "system:admin", "Approved,Issued"), (row[2], row[3], row[5]), "the request's row");

        var kubeconfig = await UserKubeconfigAsync(user, certificate.Stdout, key);
        var refused = await Fails("--kubeconfig", kubeconfig, "get", "pods", "-n", ns);
        Check.StderrContains(refused, $"pods is forbidden: User \"{user}\" cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\"");
        await Ok("create", "rolebinding", "dev-view", "--clusterrole=view", "--group=developers", "-n", ns);
        await Ok("--kubeconfig", kubeconfig, "get", "pods", "-n", ns);
    }

    [Fact]
    public async Task Gantry_kubeconfig_for_a_user_makes_a_kubeconfig_whose_certificate_names_the_user_and_groups()
    {
        var ns = await CreateNamespaceAsync("csr-kubeconfig");
        var user = $"{ns}-ops";
        var made = Check.Succeeded(await ProcessRunner.RunAsync(
            RepoPaths.GantryBinary, ["kubeconfig", "--user", user, "--group", "operators", "--ttl", "1h", "--data-dir", Fixture.DataDir],
            null, null, TimeSpan.FromSeconds(30)));
        var kubeconfig = TempFile("user.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, made.Stdout);

        var refused = await Fails("--kubeconfig", kubeconfig, "get", "pods", "-n", ns);
        await Ok("create", "rolebinding", "ops-view", "--clusterrole=view", "--group=operators", "-n", ns);

        Check.StderrContains(refused, $"pods is forbidden: User \"{user}\" cannot list resource \"pods\"");
        await Ok("--kubeconfig", kubeconfig, "get", "pods", "-n", ns);
    }

    [Fact]
    public async Task A_request_for_a_certificate_in_system_masters_is_refused()
    {
        var name = $"masters-{Guid.NewGuid():N}"[..16];
        var (_, request) = await KeyAndRequestAsync($"/CN={name}/O=system:masters");

        var refused = await Fails("create", "-f", SigningRequestManifest(name, request));

        Check.StderrContains(refused, $"use of {Signer} signer with system:masters group is not allowed");
    }

    [Fact]
    public async Task A_request_that_is_no_pem_certificate_request_is_invalid()
    {
        var name = $"bad-{Guid.NewGuid():N}"[..12];

        var refused = await Fails("create", "-f", SigningRequestManifest(name, "not a request"u8.ToArray()));

        Check.StderrContains(refused, $"The CertificateSigningRequest \"{name}\" is invalid: spec.request: Invalid value: PEM block type must be CERTIFICATE REQUEST");
    }

    private async Task<(string Key, byte[] Request)> KeyAndRequestAsync(string subject)
    {
        var key = TempFile("user.key");
        var request = Path.ChangeExtension(key, ".csr");
        Check.Succeeded(await ProcessRunner.RunAsync(
            "openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-subj", subject, "-out", request],
            null, null, TimeSpan.FromSeconds(30)));
        return (key, await File.ReadAllBytesAsync(request));
    }

    private string SigningRequestManifest(string name, byte[] request)
    {
        var path = TempFile("csr.yaml");
        File.WriteAllText(path, $"""
            apiVersion: certificates.k8s.io/v1
            kind: CertificateSigningRequest
            metadata:
              name: {name}
            spec:
              request: {Convert.ToBase64String(request)}
              signerName: {Signer}
              expirationSeconds: 86400
              usages:
              - client auth
            """);
        return path;
    }

    /// <summary>A kubeconfig for the fixture's server with the user's certificate and key, and no token.</summary>
    private async Task<string> UserKubeconfigAsync(string user, string certificateBase64, string key)
    {
        var certificate = Path.ChangeExtension(key, ".crt");
        await File.WriteAllBytesAsync(certificate, Convert.FromBase64String(certificateBase64));
        var kubeconfig = Path.ChangeExtension(key, ".kubeconfig");
        var ca = Path.Combine(Fixture.DataDir, "pki", "ca.crt");
        await Ok("config", "--kubeconfig", kubeconfig, "set-cluster", "gantry", $"--server={Fixture.BaseUrl}", $"--certificate-authority={ca}");
        await Ok("config", "--kubeconfig", kubeconfig, "set-credentials", user, $"--client-certificate={certificate}", $"--client-key={key}");
        await Ok("config", "--kubeconfig", kubeconfig, "set-context", "user", "--cluster=gantry", $"--user={user}");
        await Ok("config", "--kubeconfig", kubeconfig, "use-context", "user");
        return kubeconfig;
    }
}
