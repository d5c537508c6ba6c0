namespace Gantry.Core.Cel;

/// <summary>Kubernetes' escaping of OpenAPI property names in CEL (k8s.io/apiserver/pkg/cel/escaping.go), undone.</summary>
internal static class PropertyNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
        "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
    };

    /// <summary>The property name an escaped field denotes, or null when the field contains no escape.</summary>
    public static string? Unescape(string field)
    {
        if (!field.Contains("__", StringComparison.Ordinal))
        {
            return null;
        }
        if (field.Length > 4 && field.StartsWith("__", StringComparison.Ordinal) && field.EndsWith("__", StringComparison.Ordinal)
            && Reserved.Contains(field[2..^2]))
        {
            return field[2..^2];
        }
        var result = new System.Text.StringBuilder();
        for (var i = 0; i < field.Length;)
        {
            var matched = false;
            foreach (var (escape, text) in Escapes)
            {
                if (string.CompareOrdinal(field, i, escape, 0, escape.Length) == 0)
                {
                    result.Append(text);
                    i += escape.Length;
                    matched = true;
                    break;
                }
            }
            if (!matched)
            {
                result.Append(field[i++]);
            }
        }
        var unescaped = result.ToString();
        return unescaped == field ? null : unescaped;
    }

    private static readonly (string Escape, string Text)[] Escapes =
        [("__underscores__", "__"), ("__dot__", "."), ("__dash__", "-"), ("__slash__", "/")];
}
