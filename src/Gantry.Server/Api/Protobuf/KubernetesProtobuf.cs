using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// Decodes request bodies that clients send as Kubernetes protobuf (kubectl 1.32 and later does
/// for the objects its typed clients create) into the JSON object the same client would have sent
/// as JSON, so that the rest of the server only ever sees JSON.
/// </summary>
public static class KubernetesProtobuf
{
    /// <summary>The content type of Kubernetes protobuf bodies.</summary>
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly MessageDecoder Decoder = new(ProtobufSchema.Kubernetes);

    private static ReadOnlySpan<byte> Prefix => "k8s\0"u8;

    /// <summary>
    /// Decodes a body: the prefix <c>k8s\0</c>, then a runtime.Unknown whose typeMeta names the
    /// kind and whose raw field holds the object's own encoding. The result starts with kind and
    /// apiVersion, then the object's fields under their JSON names, in their JSON forms.
    /// </summary>
    /// <exception cref="FormatException">The body is malformed, names a kind Gantry has no schema
    /// for, or holds a field the schema does not know (nothing is dropped silently).</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Prefix))
        {
            throw new FormatException("protobuf: the body does not start with the Kubernetes protobuf prefix \"k8s\\0\"");
        }
        var envelope = WireMessage.Parse(body[Prefix.Length..], WellKnownTypes.Unknown);
        if (envelope.String(3) is { Length: > 0 } encoding)
        {
            throw new FormatException($"protobuf: content encoding '{encoding}' is not supported");
        }
        var typeMeta = WireMessage.Parse(envelope.MessageBytes(1), WellKnownTypes.TypeMeta);
        var apiVersion = typeMeta.String(1);
        var kind = typeMeta.String(2);
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            throw new FormatException("protobuf: the body does not say its apiVersion and kind");
        }
        var message = ProtobufSchema.Kubernetes.FindKind(apiVersion, kind)
            ?? throw new FormatException($"protobuf: Gantry cannot decode {kind} ({apiVersion}) from protobuf; send it as JSON");
        var json = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion };
        Decoder.DecodeInto(json, envelope.LastBytes(2), message);
        return json;
    }
}
