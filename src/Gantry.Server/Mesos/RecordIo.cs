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
        var body = Encoding.UTF8.GetBytes(record.ToJsonString(Plain));
        var header = Encoding.ASCII.GetBytes(body.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        var framed = new byte[header.Length + body.Length];
        header.CopyTo(framed, 0);
        body.CopyTo(framed, header.Length);
        return framed;
    }
}
