using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gantry.Server.Registry;

/// <summary>
/// Writes a <c>metav1.MicroTime</c> field as kube does, RFC 3339 with exactly six fraction digits
/// (<c>2006-01-02T15:04:05.000000Z07:00</c>), where the client library's date converter drops a zero fraction: Go
/// clients parse a MicroTime with that layout only, so <c>…:00Z</c> breaks <c>kubectl events</c> and any informer of
/// Events or Leases. Reading is left to the library's converter.
/// </summary>
internal sealed class MicroTimeConverter(JsonConverter<DateTime?> inner) : JsonConverter<DateTime?>
{
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    public override bool HandleNull => true;

    public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : inner.Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not { } time)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(time.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture));
    }
}
