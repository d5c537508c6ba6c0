using System.Security.Cryptography;

namespace Gantry.Server.Registry;

/// <summary>The random end of a generated name, as apimachinery's <c>SimpleNameGenerator</c> makes it.</summary>
public static class GeneratedNames
{
    public static string RandomSuffix()
    {
        // The alphabet of apimachinery's rand.String: no vowels, no confusable characters.
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars);
    }
}
