namespace Gantry.Server.Controllers;

/// <summary>apimachinery's <c>rand.SafeEncodeString</c>: a hash written with no vowels, so that names never spell words.</summary>
public static class SafeEncoding
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Encode(string text) => string.Concat(text.Select(c => Alphabet[c % Alphabet.Length]));
}
