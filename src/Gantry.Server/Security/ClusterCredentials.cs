using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Core.Security;

namespace Gantry.Server.Security;

/// <summary>
/// The cluster's trust material, generated on first start into the data directory and reused after:
/// a CA, the API server's certificate signed by it, its client certificate for calling agents
/// (<see cref="AgentClientIdentity"/>), and the admin bearer token. The server's certificate names the
/// <c>kubernetes</c> Service's cluster IP too, as kube-apiserver's does, because in-cluster clients dial that
/// address; a certificate from before that is issued again.
/// </summary>
public sealed class ClusterCredentials
{
    private const string ClientAuthentication = ClientCertificateChain.ClientAuthentication;

    private ClusterCredentials(
        string caPem, X509Certificate2 certificateAuthority, X509Certificate2 serverCertificate, X509Certificate2 agentClientCertificate, string adminToken)
    {
        CaPem = caPem;
        CertificateAuthority = certificateAuthority;
        ServerCertificate = serverCertificate;
        AgentClientCertificate = agentClientCertificate;
        AdminToken = adminToken;
    }

    public string CaPem { get; }

    /// <summary>The cluster CA with its key, which signs what CertificateSigningRequests ask of its signers.</summary>
    public X509Certificate2 CertificateAuthority { get; }

    public X509Certificate2 ServerCertificate { get; }

    public X509Certificate2 AgentClientCertificate { get; }

    public string AdminToken { get; }

    /// <summary>The cluster CA certificate (PEM) of the data directory; join tokens hash this file's bytes.</summary>
    public static string CaPathIn(string dataDirectory) => Path.Combine(dataDirectory, "pki", "ca.crt");

    public static ClusterCredentials LoadOrCreate(string dataDirectory, IReadOnlyList<IPAddress>? serviceAddresses = null)
    {
        serviceAddresses ??= [];
        var dir = Path.Combine(dataDirectory, "pki");
        Directory.CreateDirectory(dir);
        var caCert = CaPathIn(dataDirectory);
        var caKey = Path.Combine(dir, "ca.key");
        var serverCert = Path.Combine(dir, "server.crt");
        var serverKey = Path.Combine(dir, "server.key");
        var clientCert = Path.Combine(dir, "apiserver-agent-client.crt");
        var clientKey = Path.Combine(dir, "apiserver-agent-client.key");
        var tokenFile = Path.Combine(dir, "admin.token");

        if (!File.Exists(caCert) || !File.Exists(caKey))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=gantry-ca", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
            WriteSecret(caKey, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(caCert, ca.ExportCertificatePem());
            File.Delete(serverCert);
            File.Delete(clientCert);
        }

        if (!File.Exists(serverCert) || !File.Exists(serverKey) || !Names(serverCert, serviceAddresses))
        {
            using var ca = X509Certificate2.CreateFromPemFile(caCert, caKey);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=gantry-apiserver", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddDnsName("kubernetes");
            names.AddDnsName("kubernetes.default");
            names.AddDnsName("kubernetes.default.svc");
            names.AddDnsName(Dns.GetHostName());
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            foreach (var address in LocalAddresses().Concat(serviceAddresses).Distinct())
            {
                names.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5), Serial());
            WriteSecret(serverKey, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(serverCert, signed.ExportCertificatePem());
        }

        if (!File.Exists(clientCert) || !File.Exists(clientKey))
        {
            using var ca = X509Certificate2.CreateFromPemFile(caCert, caKey);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={AgentClientIdentity.CommonName}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthentication)], false));
            using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5), Serial());
            WriteSecret(clientKey, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(clientCert, signed.ExportCertificatePem());
        }

        if (!File.Exists(tokenFile))
        {
            WriteSecret(tokenFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        }

        return new ClusterCredentials(
            File.ReadAllText(caCert), Load(caCert, caKey), Load(serverCert, serverKey), Load(clientCert, clientKey), File.ReadAllText(tokenFile).Trim());
    }

    /// <summary>TLS on Linux needs the key in an exportable, loaded form; PEM loading gives an ephemeral key.</summary>
    private static X509Certificate2 Load(string certificate, string key)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static bool Names(string certificatePath, IReadOnlyList<IPAddress> addresses)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        var named = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateIPAddresses()).ToHashSet();
        return addresses.All(named.Contains);
    }

    /// <summary>A positive 128-bit serial number.</summary>
    public static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return serial;
    }

    private static List<IPAddress> LocalAddresses()
    {
        try
        {
            return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
                .Distinct()
                .ToList();
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            return [];
        }
    }

    private static void WriteSecret(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
