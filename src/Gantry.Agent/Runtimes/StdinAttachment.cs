namespace Gantry.Agent.Runtimes;

/// <summary>An attach's hold on a running container's standard input (see <see cref="ContainerStdin"/>).</summary>
/// <param name="Writer">Writes to the workload's stdin; dispose it when the client's stdin ends.</param>
/// <param name="EndsInput">
/// Disposing <paramref name="Writer"/> ends the workload's input (stdinOnce). Otherwise the input stays
/// open for later attaches, and the kubelet ends the attach itself when the client's stdin ends.
/// </param>
public sealed record StdinAttachment(Stream Writer, bool EndsInput);
