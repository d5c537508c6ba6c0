namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// The protobuf wire types Kubernetes messages use. They have no float, double or fixed-width
/// fields, so the fixed 32- and 64-bit wire types never match a field and are rejected with it.
/// </summary>
internal enum WireType
{
    Varint = 0,
    LengthDelimited = 2,
}
