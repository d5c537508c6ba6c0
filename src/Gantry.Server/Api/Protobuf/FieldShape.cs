namespace Gantry.Server.Api.Protobuf;

internal enum FieldShape
{
    Single,
    Repeated,

    /// <summary>A map with string keys: repeated entries whose key is field 1 and value field 2.</summary>
    Map,
}
