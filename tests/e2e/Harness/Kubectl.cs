namespace Gantry.E2E.Harness;

/// <summary>
/// Runs the kubectl binary under test against the cluster of one fixture: every call gets
/// <c>--kubeconfig</c> and the fixture's own <c>--cache-dir</c>, so discovery is fresh per run
/// and never shared with the user's ~/.kube. Every call is written to the test's log.
/// </summary>
public sealed class Kubectl
{
    private readonly string _binary;
    private readonly string _kubeconfig;
    private readonly string _cacheDir;
    private readonly Action<string> _log;
    private readonly Func<string?> _serverNote;

    /// <summary>Creates a helper for one test.</summary>
    public Kubectl(string binary, string kubeconfig, string cacheDir, Action<string> log, Func<string?> serverNote)
    {
        _binary = binary;
        _kubeconfig = kubeconfig;
        _cacheDir = cacheDir;
        _log = log;
        _serverNote = serverNote;
    }

    /// <summary>Runs <c>kubectl ARGS</c> with default options (no stdin, 30 s deadline).</summary>
    public Task<CommandResult> RunAsync(params string[] args) => RunAsync(args, new KubectlOptions());

    /// <summary>Runs <c>kubectl ARGS</c>.</summary>
    public async Task<CommandResult> RunAsync(IReadOnlyList<string> args, KubectlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = await ProcessRunner.RunAsync(_binary, WithGlobalFlags(args), options.Stdin, WithBaseEnvironment(options.Environment), options.Timeout);
        var note = _serverNote();
        if (note is not null)
        {
            result = result with { Note = note };
        }

        _log(result.Describe());
        return result;
    }

    /// <summary>
    /// Runs <c>kubectl ARGS</c> on a pseudo-terminal of <paramref name="columns"/> × <paramref name="rows"/>, as a user at
    /// a terminal does (<c>-t</c> needs one): under util-linux <c>script</c>, which copies the options' stdin into the
    /// terminal and what kubectl writes to it into stdout. The stdin stays open until kubectl exits: at its end
    /// <c>script</c> would type an end-of-file (^D) into the terminal, which ends kubectl's input.
    /// </summary>
    public Task<CommandResult> RunOnTerminalAsync(IReadOnlyList<string> args, KubectlOptions options, int columns, int rows)
    {
        ArgumentNullException.ThrowIfNull(options);
        var command = string.Join(' ', new[] { _binary }.Concat(WithGlobalFlags(args)).Select(ShellQuote));
        return RunAsync("script", ["-qec", $"stty cols {columns} rows {rows}; exec {command}", "/dev/null"], options);
    }

    /// <summary>Starts <c>kubectl ARGS</c> in the background (e.g. a watch); dispose the result to kill it.</summary>
    public BackgroundCommand Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var command = BackgroundCommand.Start(_binary, WithGlobalFlags(args), WithBaseEnvironment(environment), _serverNote);
        _log("$ " + command.CommandLine + "   (started in the background)");
        return command;
    }

    private async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> args, KubectlOptions options)
    {
        var result = await ProcessRunner.RunAsync(program, args, options.Stdin, WithBaseEnvironment(options.Environment), options.Timeout, keepStdinOpen: true);
        _log(result.Describe());
        return result;
    }

    private static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private List<string> WithGlobalFlags(IReadOnlyList<string> args)
    {
        var all = new List<string>(args.Count + 2) { "--kubeconfig=" + _kubeconfig, "--cache-dir=" + _cacheDir };
        all.AddRange(args);
        return all;
    }

    private static Dictionary<string, string?> WithBaseEnvironment(IReadOnlyDictionary<string, string?>? extra)
    {
        // A KUBECONFIG from the developer's shell must never leak into the run.
        var env = new Dictionary<string, string?>(StringComparer.Ordinal) { ["KUBECONFIG"] = null };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                env[key] = value;
            }
        }

        return env;
    }
}
