using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Tests.Certificates;

/// <summary>PKCS #10 requests and CertificateSigningRequest bodies, as openssl and kubectl would make them.</summary>
internal static class SigningRequestTestData
{
    public const string ClientSigner = "kubernetes.io/kube-apiserver-client";

    public static string RequestPem(string subject = "CN=jane, O=devs", string? dnsName = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (dnsName is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(dnsName);
            request.CertificateExtensions.Add(names.Build());
        }

        return request.CreateSigningRequestPem();
    }

    public static JsonObject SigningRequest(
        string name, string? requestPem = null, string signer = ClientSigner, int? expirationSeconds = null, params string[] usages)
    {
        var spec = new JsonObject
        {
            ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(requestPem ?? RequestPem())),
            ["signerName"] = signer,
            ["usages"] = new JsonArray([.. (usages.Length == 0 ? ["client auth"] : usages).Select(u => (JsonNode)u)]),
        };
        if (expirationSeconds is { } seconds)
        {
            spec["expirationSeconds"] = seconds;
        }

        return new JsonObject
        {
            ["apiVersion"] = "certificates.k8s.io/v1",
            ["kind"] = "CertificateSigningRequest",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static JsonObject Condition(string type, string status = "True", string? reason = null) =>
        reason is null
            ? new JsonObject { ["type"] = type, ["status"] = status }
            : new JsonObject { ["type"] = type, ["status"] = status, ["reason"] = reason };
}
