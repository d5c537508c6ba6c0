namespace Gantry.Bench;

/// <summary>A bench's <c>--flag value</c> arguments, in pairs; a flag without its value is an error that shows the usage.</summary>
internal static class FlagPairs
{
    public static IEnumerable<(string Flag, string Value)> Of(string[] args, string usage)
    {
        if (args.Length % 2 != 0)
        {
            throw new ArgumentException($"{args[^1]} needs a value.\n{usage}");
        }

        for (var i = 0; i < args.Length; i += 2)
        {
            yield return (args[i], args[i + 1]);
        }
    }
}
