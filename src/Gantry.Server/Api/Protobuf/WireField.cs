namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// One occurrence of a field in an encoded message: the value of a varint, or where the bytes
/// of a length-delimited value lie in the message.
/// </summary>
internal readonly record struct WireField(WireType WireType, ulong Value, int Start, int Length);
