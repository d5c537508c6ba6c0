using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Gantry.Agent.Streaming;

/// <summary>
/// What the client asked to run and which standard streams it attached, from the exec query string
/// (<c>command=…&amp;container=…&amp;stdin=true&amp;stdout=true&amp;stderr=true&amp;tty=true</c>).
/// </summary>
/// <param name="Container">The container named by the client, or null to use the pod's default one.</param>
/// <param name="Command">The command and its arguments, run directly (no shell); never empty for exec, always empty for attach.</param>
/// <param name="Stdin">The client sends standard input.</param>
/// <param name="Stdout">The client wants standard output.</param>
/// <param name="Stderr">The client wants standard error; always false with <paramref name="Tty"/>, whose terminal merges the two.</param>
/// <param name="Tty">Run the command on a terminal; the client may then send resizes.</param>
public sealed record ExecRequest(string? Container, IReadOnlyList<string> Command, bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    /// <summary>The terminal's size when the command starts: the first the client sent, if it came in time.</summary>
    public TerminalSize? InitialSize { get; init; }

    internal static bool TryParse(
        IQueryCollection query,
        [NotNullWhen(true)] out ExecRequest? request,
        [NotNullWhen(false)] out string? problem) => TryParse(query, attach: false, out request, out problem);

    /// <summary>Parses an exec query or, with <paramref name="attach"/>, an attach query, which names no command.</summary>
    internal static bool TryParse(
        IQueryCollection query,
        bool attach,
        [NotNullWhen(true)] out ExecRequest? request,
        [NotNullWhen(false)] out string? problem)
    {
        string[] command = attach ? [] : [.. query["command"].Where(argument => argument is not null).Select(argument => argument!)];
        var tty = Flag(query, "tty");
        request = new ExecRequest(
            query["container"].FirstOrDefault() is { Length: > 0 } container ? container : null,
            command,
            Flag(query, "stdin"),
            Flag(query, "stdout"),
            // Like the kubelet, drop stderr under a terminal instead of refusing the request.
            Flag(query, "stderr") && !tty,
            tty);

        problem = command.Length == 0 && !attach
            ? "you must specify at least one command for the container"
            : !request.Stdin && !request.Stdout && !request.Stderr
                ? "you must specify at least 1 of stdin, stdout, stderr"
                : null;
        if (problem is not null)
        {
            request = null;
            return false;
        }

        return true;
    }

    // kubectl sends "true"; the API server rewrites the flags to "1" when it talks to a kubelet.
    private static bool Flag(IQueryCollection query, string name) =>
        query[name].FirstOrDefault() is { } value
        && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
