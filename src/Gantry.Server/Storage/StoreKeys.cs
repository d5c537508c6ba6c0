using System.Text;

namespace Gantry.Server.Storage;

/// <summary>How keys are stored: strict UTF-8 bytes, compared bytewise, which orders them by code point.</summary>
internal static class StoreKeys
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="ArgumentException">The key holds an unpaired surrogate, which UTF-8 cannot carry.</exception>
    public static byte[] Encode(string key) => StrictUtf8.GetBytes(key);

    public static string Decode(byte[] key) => StrictUtf8.GetString(key);

    /// <summary>
    /// The smallest byte string greater than every key starting with <paramref name="prefix"/>,
    /// or null for an empty prefix (no upper bound).
    /// </summary>
    public static byte[]? PrefixUpperBound(byte[] prefix)
    {
        if (prefix.Length == 0)
        {
            return null;
        }

        // UTF-8 never contains 0xFF, so bumping the last byte cannot overflow; every key starting with
        // the prefix sorts below the result, and no key at or above it starts with the prefix.
        var bound = (byte[])prefix.Clone();
        bound[^1]++;
        return bound;
    }
}
