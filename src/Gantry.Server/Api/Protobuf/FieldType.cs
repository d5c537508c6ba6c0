namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// What a field holds. Besides the protobuf scalars and plain messages, the apimachinery types
/// whose JSON form is not an object of their fields have a type of their own.
/// </summary>
internal enum FieldType
{
    String,
    Int32,
    Int64,
    Bool,
    Bytes,
    Message,

    /// <summary>resource.Quantity, a message holding a string; JSON: that string.</summary>
    Quantity,

    /// <summary>intstr.IntOrString; JSON: a number or a string, by its type.</summary>
    IntOrString,

    /// <summary>meta/v1 Time; JSON: RFC 3339 to the second, or null when zero.</summary>
    Time,

    /// <summary>meta/v1 MicroTime; JSON: RFC 3339 to the microsecond, or null when zero.</summary>
    MicroTime,

    /// <summary>meta/v1 FieldsV1, raw bytes of JSON; JSON: that JSON.</summary>
    FieldsV1,

    /// <summary>A named slice of strings wrapped in a message (authentication/v1 ExtraValue); JSON: the array.</summary>
    StringList,
}
