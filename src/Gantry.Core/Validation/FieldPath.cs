using System.Globalization;

namespace Gantry.Core.Validation;

/// <summary>
/// A field path as apimachinery's <c>field.Path</c> renders it: <c>spec.containers[0].name</c>,
/// <c>metadata.labels[app]</c>. The default value is the root, which renders as an empty string.
/// </summary>
public readonly record struct FieldPath
{
    private readonly string? _text;

    private FieldPath(string text) => _text = text;

    public static FieldPath Root => default;

    /// <summary>A path of dotted children from the root: <c>FieldPath.Of("spec", "template")</c>.</summary>
    public static FieldPath Of(string name, params string[] more)
    {
        var path = Root.Child(name);
        foreach (var child in more)
        {
            path = path.Child(child);
        }

        return path;
    }

    public FieldPath Child(string name) => new(string.IsNullOrEmpty(_text) ? name : $"{_text}.{name}");

    public FieldPath Index(int index) => new($"{_text}[{index.ToString(CultureInfo.InvariantCulture)}]");

    public FieldPath Key(string key) => new($"{_text}[{key}]");

    public override string ToString() => _text ?? "";
}
