using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Gantry.Core.Security;

/// <summary>
/// A bootstrap token, <c>[a-z0-9]{6}.[a-z0-9]{16}</c>: a public id (which names its Secret) and a
/// secret, as kubeadm and k8s.io/cluster-bootstrap define it. Joining agents present it as their bearer token.
/// </summary>
public sealed partial record BootstrapToken(string Id, string Secret)
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>The Secret <c>kube-system/bootstrap-token-&lt;id&gt;</c> that holds this token.</summary>
    public string SecretName => BootstrapTokenSecret.NamePrefix + Id;

    public override string ToString() => $"{Id}.{Secret}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out BootstrapToken? token)
    {
        token = null;
        if (text is null || TokenPattern().Match(text) is not { Success: true } match)
        {
            return false;
        }

        token = new BootstrapToken(match.Groups[1].Value, match.Groups[2].Value);
        return true;
    }

    /// <exception cref="FormatException">The text is not <c>[a-z0-9]{6}.[a-z0-9]{16}</c>.</exception>
    public static BootstrapToken Parse(string text) =>
        TryParse(text, out var token) ? token : throw new FormatException($"the bootstrap token \"{text}\" was not of the form \"[a-z0-9]{{6}}.[a-z0-9]{{16}}\"");

    /// <summary>A fresh random token, drawn as kubeadm's <c>GenerateBootstrapToken</c> draws it.</summary>
    public static BootstrapToken Generate() => new(RandomString(6), RandomString(16));

    /// <summary>True when <paramref name="id"/> can be a token id (<c>[a-z0-9]{6}</c>).</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>
    /// Uniform over the 36 characters: 256 is not a multiple of 36, so bytes of 252 and above are
    /// discarded rather than folded in, which would favour the first four characters.
    /// </summary>
    private static string RandomString(int length)
    {
        const int maxByteValue = 252;
        var chars = new char[length];
        var filled = 0;
        Span<byte> buffer = stackalloc byte[length * 2];
        while (filled < length)
        {
            RandomNumberGenerator.Fill(buffer);
            foreach (var b in buffer)
            {
                if (b >= maxByteValue)
                {
                    continue;
                }

                chars[filled++] = Alphabet[b % Alphabet.Length];
                if (filled == length)
                {
                    break;
                }
            }
        }

        return new string(chars);
    }

    [GeneratedRegex("^([a-z0-9]{6})\\.([a-z0-9]{16})$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[a-z0-9]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
