using Gantry.Server;

namespace Gantry.Cli;

/// <summary>
/// The command line of <c>gantry image SUBCOMMAND</c>: positional arguments (files, references)
/// mixed with <c>--data-dir DIR</c>, <c>--name NAME</c> and the switch <c>--insecure</c>.
/// </summary>
public sealed record ImageArguments(string Subcommand, IReadOnlyList<string> Positional, string DataDirectory, string? Name, bool Insecure)
{
    public static ImageArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            throw new UsageException("gantry image needs a subcommand: import, ls, rm or pull");
        }

        var positional = new List<string>();
        string? dataDir = null, name = null;
        var insecure = false;
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = arg.StartsWith("--", StringComparison.Ordinal) ? (eq > 0 ? arg[2..eq] : arg[2..]) : null;
            string Value() => eq > 0 ? arg[(eq + 1)..] : ++i < args.Count ? args[i] : throw new UsageException($"flag --{flag} needs a value");
            switch (flag)
            {
                case null:
                    positional.Add(arg);
                    break;
                case "data-dir":
                    dataDir = Path.GetFullPath(Value());
                    break;
                case "name":
                    name = Value();
                    break;
                case "insecure" when eq < 0:
                    insecure = true;
                    break;
                default:
                    throw new UsageException($"unknown flag --{flag} for gantry image {args[0]}");
            }
        }

        return new ImageArguments(args[0], positional, dataDir ?? ServerOptions.DefaultDataDirectory(), name, insecure);
    }
}
