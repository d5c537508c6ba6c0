namespace Gantry.Core.Cel;

/// <summary>Compile errors worded and located as cel-go reports them: <c>ERROR: &lt;input&gt;:1:5: ...</c> and a caret line.</summary>
internal static class SourceErrors
{
    public static string Format(string source, int position, string message)
    {
        position = Math.Clamp(position, 0, source.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        var lineEnd = source.IndexOf('\n', lineStart);
        var text = lineEnd < 0 ? source[lineStart..] : source[lineStart..lineEnd];
        var column = position - lineStart;
        return $"ERROR: <input>:{line}:{column + 1}: {message}\n | {text}\n | {new string('.', column)}^";
    }

    public static CelCompileException Syntax(string source, int position, string message) =>
        new(Format(source, position, "Syntax error: " + message));

    public static CelUnsupportedException Unsupported(string source, int position, string message) =>
        new(Format(source, position, message));
}
