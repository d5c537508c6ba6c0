namespace Gantry.Agent.Images.Registry;

/// <summary>A manifest or index as the registry served it, with the digest its bytes hash to.</summary>
/// <param name="MediaType">From Content-Type, or declared by the document when the registry sent a generic type.</param>
/// <param name="Digest">"sha256:…" of <paramref name="Content"/>, verified against the request and Docker-Content-Digest.</param>
/// <param name="Content">The exact bytes: the digest covers them, so they are stored unchanged.</param>
internal sealed record RegistryManifest(string MediaType, string Digest, byte[] Content)
{
    public string Json => System.Text.Encoding.UTF8.GetString(Content);
}
