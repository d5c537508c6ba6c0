using System.Text.Json.Nodes;

namespace Gantry.Agent.Network;

/// <summary>Executes CNI plugin binaries from one directory, as the CNI spec's runtime side.</summary>
internal sealed class CniPlugins(string pluginDirectory, TimeSpan timeout)
{
    public string PluginDirectory { get; } = pluginDirectory;

    /// <summary>Runs ADD and returns the plugin's result together with the JSON it came in, kept for CHECK and DEL.</summary>
    public async Task<(CniResult Result, string Json)> AddAsync(CniInvocation invocation, JsonObject config, CancellationToken cancellationToken)
    {
        var stdout = await InvokeAsync(invocation, config, cancellationToken);
        try
        {
            return (CniResult.Parse(stdout), stdout);
        }
        catch (FormatException ex)
        {
            throw new NetworkCommandException($"CNI plugin {invocation} printed an unreadable result: {ex.Message}", invocation.ToString(), 0, "", ex);
        }
    }

    /// <summary>Runs DEL or CHECK, which print nothing on success.</summary>
    public Task RunAsync(CniInvocation invocation, JsonObject config, CancellationToken cancellationToken) =>
        InvokeAsync(invocation, config, cancellationToken);

    /// <summary>Asks a plugin which spec versions it speaks.</summary>
    public async Task<CniVersionInfo> VersionAsync(string plugin, CancellationToken cancellationToken)
    {
        var invocation = new CniInvocation(plugin, "VERSION", "", "", "", "");
        var stdout = await InvokeAsync(invocation, new JsonObject { ["cniVersion"] = CniNetworkConfig.Version }, cancellationToken);
        try
        {
            return CniVersionInfo.Parse(stdout);
        }
        catch (FormatException ex)
        {
            throw new NetworkCommandException($"CNI plugin {plugin} answered VERSION unreadably: {ex.Message}", invocation.ToString(), 0, "", ex);
        }
    }

    private async Task<string> InvokeAsync(CniInvocation invocation, JsonObject config, CancellationToken cancellationToken)
    {
        var binary = Path.Combine(PluginDirectory, invocation.Plugin);
        if (!File.Exists(binary))
        {
            throw new NetworkCommandException(
                $"CNI plugin {invocation.Plugin} is not installed in {PluginDirectory}; run scripts/bootstrap (Debian package containernetworking-plugins)",
                invocation.ToString(), null, "");
        }

        var output = await HostCommand.RunAsync(
            new CommandLine(binary), timeout, cancellationToken, config.ToJsonString(), invocation.Environment(PluginDirectory));
        if (output.ExitCode == 0)
        {
            return output.Stdout;
        }

        if (CniError.TryParse(output.Stdout, out var error))
        {
            throw new CniPluginException(invocation, error, output);
        }

        // Not the spec's error object (a crash or a panic): whatever the plugin printed is all there is to go on.
        var printed = string.Join(" ", new[] { output.Stderr.Trim(), output.Stdout.Trim() }.Where(s => s.Length > 0));
        throw new NetworkCommandException(
            $"CNI plugin {invocation} failed with exit code {output.ExitCode}" + (printed.Length > 0 ? $": {printed}" : ""),
            invocation.ToString(), output.ExitCode, output.Stderr.Trim());
    }
}
