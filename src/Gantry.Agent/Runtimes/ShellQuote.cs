namespace Gantry.Agent.Runtimes;

/// <summary>Quotes words for /bin/sh, for the one place a command must travel as a string (script -c).</summary>
internal static class ShellQuote
{
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
