using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Server.Mesos;

/// <summary>Mesos' RecordIO framing of a stream of events: each record is its length in bytes, a newline, then the record.</summary>
public static class RecordIo
{
    // Mesos writes '+' and '/' of a uuid's base64 as they are; the default encoder's \u002B is valid but not what clients see from Mesos.
    private static readonly JsonSerializerOptions Plain = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Frame(JsonNode record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Frame(Encoding.UTF8.GetBytes(record.ToJsonString(Plain)));
    }

    public static byte[] Frame(ReadOnlySpan<byte> record)
    {
        var header = Encoding.ASCII.GetBytes(record.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        var framed = new byte[header.Length + record.Length];
        header.CopyTo(framed, 0);
        record.CopyTo(framed.AsSpan(header.Length));
        return framed;
    }
}
