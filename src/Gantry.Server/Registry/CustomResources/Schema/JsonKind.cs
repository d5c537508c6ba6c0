namespace Gantry.Server.Registry.CustomResources.Schema;

/// <summary>
/// What a JSON value is once decoded the way the apiserver decodes custom resources (apimachinery's <c>util/json</c>):
/// a number that parses as an int64 is an <see cref="Integer"/>, any other number a <see cref="Float"/> (so <c>1.0</c>
/// and <c>1e2</c> are floats, as Go's <c>json.Number.Int64</c> refuses them).
/// </summary>
internal enum JsonKind
{
    Null,
    Boolean,
    String,
    Integer,
    Float,
    Object,
    Array,
}
