using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Server.Certificates;
using Gantry.Server.Security;
using k8s;

namespace Gantry.Cli;

/// <summary>
/// <c>gantry kubeconfig</c>: prints the admin kubeconfig written by the server; with <c>--user NAME</c>, a kubeconfig
/// for that user instead, with a client certificate the cluster CA signs here for it (its groups from
/// <c>--group</c>), as <c>kubeadm kubeconfig user</c> makes one: the user has whatever RBAC binds to the name or the
/// groups.
/// </summary>
public static class KubeconfigCommand
{
    public const string Usage = """
          gantry kubeconfig [--data-dir DIR]                print the admin kubeconfig
          gantry kubeconfig --user NAME [--group G]... [--ttl 8760h] [--data-dir DIR]
                                                            print a kubeconfig for a user with a client certificate
        """;

    private static readonly string[] ClientUsages = [KeyUsages.DigitalSignature, KeyUsages.KeyEncipherment, KeyUsages.ClientAuth];

    public static int Run(string[] args)
    {
        string? user = null;
        var groups = new List<string>();
        string? ttlText = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = Flags.Split(args, ref i);
            switch (name)
            {
                case "--user":
                    user = value;
                    break;
                case "--group":
                    groups.Add(value!);
                    break;
                case "--ttl":
                    ttlText = value;
                    break;
                case null:
                    throw new UsageException($"unexpected argument \"{args[i]}\"\nusage:\n{Usage}");
                default:
                    rest.Add($"{name}={value}");
                    break;
            }
        }

        var flags = Flags.Parse([.. rest]);
        var path = Kubeconfig.PathIn(flags.DataDirectory);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: no kubeconfig at {path}; start the cluster first with 'gantry up --data-dir {flags.DataDirectory}'");
            return 1;
        }

        if (user is null)
        {
            if (groups.Count > 0 || ttlText is not null)
            {
                throw new UsageException("--group and --ttl need --user");
            }

            Console.Out.Write(File.ReadAllText(path));
            return 0;
        }

        if (user.Length == 0)
        {
            throw new UsageException("--user must name a user");
        }

        var ttl = GoDuration.Parse(ttlText ?? "8760h", "--ttl");
        if (ttl < TimeSpan.FromMinutes(10))
        {
            throw new UsageException("--ttl must be at least 10m: certificates are backdated by 5m against clock skew");
        }

        Console.Out.Write(UserKubeconfig(flags.DataDirectory, path, user, groups, ttl));
        return 0;
    }

    private static string UserKubeconfig(string dataDirectory, string adminKubeconfig, string user, IReadOnlyList<string> groups, TimeSpan ttl)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups)
        {
            subject.AddOrganizationName(group);
        }

        subject.AddCommonName(user);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        if (ClusterSigner.Refusal(request, ClientUsages) is { } refusal)
        {
            throw new UsageException(refusal);
        }

        var caPath = ClusterCredentials.CaPathIn(dataDirectory);
        using var ca = X509Certificate2.CreateFromPemFile(caPath, Path.Combine(Path.GetDirectoryName(caPath)!, "ca.key"));
        var certificate = new ClusterSigner(ca, ttl).Sign(request, ClientUsages, expirationSeconds: null, DateTimeOffset.UtcNow);
        var server = KubernetesClientConfiguration.BuildConfigFromConfigFile(adminKubeconfig).Host;
        return Kubeconfig.RenderForCertificate(server, File.ReadAllText(caPath), user, certificate, key.ExportPkcs8PrivateKeyPem());
    }
}
