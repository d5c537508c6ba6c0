namespace Gantry.Cli;

/// <summary>
/// Writes each step of a long operation on its own line as it finishes, in order (<see cref="Progress{T}"/> posts
/// to the thread pool, so lines could come late and out of order).
/// </summary>
public sealed class LineProgress(TextWriter writer, string prefix) : IProgress<string>
{
    public void Report(string value) => writer.WriteLine(prefix + value);
}
