using Gantry.Agent.Network;

namespace Gantry.Agent.Proxy;

/// <summary>
/// Puts rulesets in force with one <c>nft -f -</c> transaction each, remembering the last one that succeeded so the next
/// can replace it in place. After a failure nothing is assumed about the table and the next ruleset rewrites it whole.
/// </summary>
public sealed class NftablesApplier(ProxyOptions options)
{
    private NftRuleset? _inForce;

    /// <summary>Writes <paramref name="ruleset"/> into the table atomically.</summary>
    /// <exception cref="NetworkCommandException">nft refused the transaction; the table is as it was before.</exception>
    public async Task ApplyAsync(NftRuleset ruleset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        var script = NftScript.Render(ruleset, _inForce);
        _inForce = null;
        await RunAsync(script, cancellationToken).ConfigureAwait(false);
        _inForce = ruleset;
    }

    /// <summary>Removes the table and everything in it; a table that is not there is fine.</summary>
    public async Task DeleteTableAsync(CancellationToken cancellationToken)
    {
        _inForce = null;
        var table = $"{TableWriter.Family} {options.TableName}";
        await RunAsync($"add table {table}\ndelete table {table}\n", cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(string script, CancellationToken cancellationToken)
    {
        var command = options.NetworkNamespace is { } ns
            ? new CommandLine("ip", "netns", "exec", ns, "nft", "-f", "-")
            : new CommandLine("nft", "-f", "-");
        var output = await HostCommand.RunAsync(command, options.CommandTimeout, cancellationToken, stdin: script).ConfigureAwait(false);
        if (output.ExitCode != 0)
        {
            throw HostCommand.Failure(command, output);
        }
    }
}
