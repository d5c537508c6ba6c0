namespace Gantry.Agent.Network;

/// <summary>
/// A CNI plugin refused an operation. The message is the plugin's own (<c>msg</c>, then <c>details</c>), prefixed
/// with which plugin and which CNI command, so "no IP addresses available in range set" reaches the pod's events as is.
/// </summary>
public sealed class CniPluginException : NetworkCommandException
{
    public CniPluginException()
    {
    }

    public CniPluginException(string message)
        : base(message)
    {
    }

    public CniPluginException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal CniPluginException(CniInvocation invocation, CniError error, CommandOutput output)
        : base(Describe(invocation, error), invocation.ToString(), output.ExitCode, output.Stderr.Trim())
    {
        Plugin = invocation.Plugin;
        CniCommand = invocation.Command;
        Code = error.Code;
        PluginMessage = error.Message;
        Details = error.Details;
    }

    /// <summary>The plugin's type, e.g. <c>bridge</c>.</summary>
    public string Plugin { get; } = "";

    /// <summary>ADD, DEL, CHECK or VERSION.</summary>
    public string CniCommand { get; } = "";

    /// <summary>The CNI error code: 1–99 are the spec's (e.g. 11 "try again later"), 100 and up the plugin's.</summary>
    public int Code { get; }

    /// <summary>The plugin's <c>msg</c>, unprefixed.</summary>
    public string PluginMessage { get; } = "";

    public string? Details { get; }

    private static string Describe(CniInvocation invocation, CniError error) =>
        $"CNI plugin {invocation.Plugin} {invocation.Command} for container {invocation.ContainerId} failed (code {error.Code}): {error.Message}"
        + (error.Details is null ? "" : $" ({error.Details})");
}
