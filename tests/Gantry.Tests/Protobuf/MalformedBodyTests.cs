using Gantry.Server.Api.Protobuf;
using Xunit;

namespace Gantry.Tests.Protobuf;

public sealed class MalformedBodyTests
{
    private static readonly ProtoWriter Namespace = new ProtoWriter().Message(1, new ProtoWriter().String(1, "n"));

    private static FormatException Fails(byte[] body) => Assert.Throws<FormatException>(() => KubernetesProtobuf.Decode(body));

    [Fact]
    public void A_body_without_the_k8s_prefix_is_rejected()
    {
        Assert.Contains("prefix", Fails("""{"kind":"Namespace"}"""u8.ToArray()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_body_is_rejected()
    {
        var body = ProtoWriter.Body("v1", "Namespace", Namespace);

        Assert.Contains("runs past the end", Fails(body[..^6]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_varint_cut_off_at_the_end_is_rejected()
    {
        var body = ProtoWriter.Body("v1", "Namespace", new ProtoWriter().Append(0x80));

        Assert.Contains("cut off", Fails(body).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kind_without_a_schema_is_rejected_naming_it()
    {
        var body = ProtoWriter.Body("example.com/v1", "Widget", Namespace);

        Assert.Contains("Widget (example.com/v1)", Fails(body).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_without_a_kind_is_rejected()
    {
        Fails(ProtoWriter.Body("v1", "", Namespace));
    }

    [Fact]
    public void A_field_number_the_schema_does_not_know_is_rejected_not_dropped()
    {
        var body = ProtoWriter.Body("v1", "Namespace", new ProtoWriter().Message(1, new ProtoWriter().String(1, "n").String(99, "x")));

        Assert.Contains("meta.v1.ObjectMeta has no field 99", Fails(body).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_with_the_wrong_wire_type_is_rejected()
    {
        var body = ProtoWriter.Body("v1", "Namespace", new ProtoWriter().Int(1, 7));

        Assert.Contains("field 1 (metadata) of core.v1.Namespace has wire type 0", Fails(body).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_width_value_is_rejected_because_no_kubernetes_field_has_one()
    {
        var body = ProtoWriter.Body("v1", "Namespace", new ProtoWriter().Append(0x0d, 1, 2, 3, 4));

        Assert.Contains("wire type 5", Fails(body).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_int_or_string_of_an_unknown_type_is_rejected()
    {
        var port = new ProtoWriter().Int(3, 80).Message(4, new ProtoWriter().Int(1, 2));
        var service = new ProtoWriter().Message(2, new ProtoWriter().Message(1, port));

        Assert.Contains("IntOrString has type 2", Fails(ProtoWriter.Body("v1", "Service", service)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compressed_content_is_rejected()
    {
        var unknown = new ProtoWriter()
            .Message(1, new ProtoWriter().String(1, "v1").String(2, "Namespace"))
            .Message(2, Namespace)
            .String(3, "gzip");

        Assert.Contains("gzip", Fails([.. "k8s\0"u8, .. unknown.ToArray()]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_v1_that_is_not_json_is_rejected()
    {
        var entry = new ProtoWriter().String(1, "kubectl").Message(7, new ProtoWriter().String(1, "{not json"));
        var body = ProtoWriter.Body("v1", "Namespace", new ProtoWriter().Message(1, new ProtoWriter().Message(17, entry)));

        Assert.Contains("fieldsV1", Fails(body).Message, StringComparison.Ordinal);
    }
}
