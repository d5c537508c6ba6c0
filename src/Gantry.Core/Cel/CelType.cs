namespace Gantry.Core.Cel;

/// <summary>A type as a value: what <c>type(x)</c> returns and what identifiers such as <c>int</c> denote.</summary>
public sealed class CelType : IEquatable<CelType>
{
    public static readonly CelType Int = new("int");
    public static readonly CelType Uint = new("uint");
    public static readonly CelType Double = new("double");
    public static readonly CelType Bool = new("bool");
    public static readonly CelType String = new("string");
    public static readonly CelType Bytes = new("bytes");
    public static readonly CelType List = new("list");
    public static readonly CelType Map = new("map");
    public static readonly CelType Null = new("null_type");
    public static readonly CelType Type = new("type");
    public static readonly CelType Duration = new("google.protobuf.Duration");
    public static readonly CelType Timestamp = new("google.protobuf.Timestamp");
    public static readonly CelType Url = new("kubernetes.URL");

    private static readonly Dictionary<string, CelType> ByName =
        new[] { Int, Uint, Double, Bool, String, Bytes, List, Map, Null, Type, Duration, Timestamp, Url }
            .ToDictionary(t => t.Name, StringComparer.Ordinal);

    private CelType(string name) => Name = name;

    /// <summary>The CEL name of the type, e.g. <c>int</c> or <c>google.protobuf.Timestamp</c>.</summary>
    public string Name { get; }

    /// <summary>The type of a CEL value.</summary>
    public static CelType Of(object? value) => value switch
    {
        null => Null,
        bool => Bool,
        long => Int,
        ulong => Uint,
        double => Double,
        string => String,
        byte[] => Bytes,
        CelList => List,
        CelMap => Map,
        TimeSpan => Duration,
        DateTimeOffset => Timestamp,
        CelType => Type,
        CelUrl => Url,
        _ => new CelType(value.GetType().Name),
    };

    internal static bool TryGetByName(string name, out CelType type) => ByName.TryGetValue(name, out type!);

    public bool Equals(CelType? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CelType);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;
}
