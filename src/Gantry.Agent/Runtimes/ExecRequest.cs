namespace Gantry.Agent.Runtimes;

/// <summary>A command to run inside a running container (kubectl exec, exec probes).</summary>
/// <param name="Command">argv; the first element is looked up on the container's PATH.</param>
/// <param name="Tty">Run on a pseudo-terminal: output arrives on stdout only, with terminal line handling.</param>
/// <param name="Columns">The terminal's width when the command starts; 0 for no size yet.</param>
/// <param name="Rows">The terminal's height when the command starts; 0 for no size yet.</param>
public sealed record ExecRequest(IReadOnlyList<string> Command, bool Tty = false, ushort Columns = 0, ushort Rows = 0);
