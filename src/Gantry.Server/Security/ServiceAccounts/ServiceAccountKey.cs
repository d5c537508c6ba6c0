using System.Buffers.Text;
using System.Security.Cryptography;

namespace Gantry.Server.Security.ServiceAccounts;

/// <summary>
/// The key that signs service account tokens, kept as kube-apiserver's <c>--service-account-signing-key-file</c> is, in
/// the data directory's <c>pki/sa.key</c> (generated on first start), with its key id: the unpadded base64url SHA-256 of
/// the public key's DER, as kube computes the <c>kid</c> of the tokens it signs. An ECDSA P-256 key, which kube accepts
/// as well as RSA: every pod's start waits for a token signed with it, and P-256 signs in a tenth of RSA-2048's time.
/// </summary>
public sealed class ServiceAccountKey : IDisposable
{
    private ServiceAccountKey(ECDsa key)
    {
        Key = key;
        KeyId = Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    public ECDsa Key { get; }

    public string KeyId { get; }

    public static ServiceAccountKey LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "pki", "sa.key");
        if (File.Exists(path))
        {
            var loaded = ECDsa.Create();
            loaded.ImportFromPem(File.ReadAllText(path));
            return new ServiceAccountKey(loaded);
        }

        var generated = Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, generated.Key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return generated;
    }

    /// <summary>A new key, kept nowhere.</summary>
    public static ServiceAccountKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public void Dispose() => Key.Dispose();
}
