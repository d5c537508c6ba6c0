using System.Buffers.Binary;
using System.Text;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// Writes a DNS message in wire form (RFC 1035 §4), compressing the names of questions and record owners and the
/// names inside CNAME, NS, PTR and SOA data; SRV targets stay uncompressed (RFC 2782). Pure.
/// </summary>
public sealed class DnsWriter
{
    private readonly List<byte> _bytes = [];
    private readonly Dictionary<string, int> _names = new(StringComparer.OrdinalIgnoreCase);

    private DnsWriter()
    {
    }

    /// <summary>
    /// The message's bytes, at most <paramref name="maxLength"/> long: when the whole message does not fit, the reply
    /// keeps its question (and OPT record) with the TC bit set, so the client asks again over TCP (RFC 1035 §4.2.1,
    /// RFC 7766).
    /// </summary>
    public static byte[] Write(DnsMessage message, int maxLength = ushort.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bytes = WriteWhole(message);
        if (bytes.Length <= maxLength)
        {
            return bytes;
        }

        return WriteWhole(message with
        {
            Truncated = true,
            Answers = [],
            Authorities = [],
            Additionals = message.Opt is { } opt ? [opt] : [],
        });
    }

    private static byte[] WriteWhole(DnsMessage message)
    {
        var writer = new DnsWriter();
        writer.UInt16(message.Id);
        var flags = (message.IsResponse ? 0x8000 : 0) | ((message.Opcode & 0xF) << 11) | (message.Authoritative ? 0x0400 : 0)
            | (message.Truncated ? 0x0200 : 0) | (message.RecursionDesired ? 0x0100 : 0) | (message.RecursionAvailable ? 0x0080 : 0)
            | ((int)message.ResponseCode & 0xF);
        writer.UInt16((ushort)flags);
        writer.UInt16((ushort)message.Questions.Count);
        writer.UInt16((ushort)message.Answers.Count);
        writer.UInt16((ushort)message.Authorities.Count);
        writer.UInt16((ushort)message.Additionals.Count);
        foreach (var question in message.Questions)
        {
            writer.Name(question.Name, compress: true);
            writer.UInt16(question.Type);
            writer.UInt16(question.Class);
        }

        foreach (var record in message.Answers.Concat(message.Authorities).Concat(message.Additionals))
        {
            writer.Record(record);
        }

        return [.. writer._bytes];
    }

    private void Record(DnsRecord record)
    {
        Name(record.Name, compress: true);
        UInt16(record.Type);
        UInt16(record.Class);
        UInt16((ushort)(record.Ttl >> 16));
        UInt16((ushort)record.Ttl);
        var lengthAt = _bytes.Count;
        UInt16(0);
        switch (record.Data)
        {
            case AddressData address:
                _bytes.AddRange(address.Address.GetAddressBytes());
                break;
            case NameData name:
                Name(name.Target, compress: true);
                break;
            case SrvData srv:
                UInt16(srv.Priority);
                UInt16(srv.Weight);
                UInt16(srv.Port);
                Name(srv.Target, compress: false);
                break;
            case SoaData soa:
                Name(soa.PrimaryServer, compress: true);
                Name(soa.Mailbox, compress: true);
                UInt32(soa.Serial);
                UInt32(soa.Refresh);
                UInt32(soa.Retry);
                UInt32(soa.Expire);
                UInt32(soa.Minimum);
                break;
            case RawData raw:
                _bytes.AddRange(raw.Bytes.ToArray());
                break;
            default:
                throw new ArgumentException($"cannot write {record.Data.GetType().Name}", nameof(record));
        }

        var length = _bytes.Count - lengthAt - 2;
        _bytes[lengthAt] = (byte)(length >> 8);
        _bytes[lengthAt + 1] = (byte)length;
    }

    /// <summary>Writes a name label by label; with compression, a suffix already written becomes a pointer to it.</summary>
    private void Name(string name, bool compress)
    {
        var rest = name.TrimEnd('.');
        while (rest.Length > 0)
        {
            if (compress && _names.TryGetValue(rest, out var at))
            {
                UInt16((ushort)(0xC000 | at));
                return;
            }

            if (compress && _bytes.Count < 0x3FFF)
            {
                _names[rest] = _bytes.Count;
            }

            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            var label = dot < 0 ? rest : rest[..dot];
            var encoded = Encoding.ASCII.GetBytes(label);
            if (encoded.Length is 0 or > 63)
            {
                throw new ArgumentException($"\"{name}\" has an empty label or one longer than 63 octets", nameof(name));
            }

            _bytes.Add((byte)encoded.Length);
            _bytes.AddRange(encoded);
            rest = dot < 0 ? "" : rest[(dot + 1)..];
        }

        _bytes.Add(0);
    }

    private void UInt16(ushort value)
    {
        Span<byte> buffer = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, value);
        _bytes.AddRange(buffer);
    }

    private void UInt32(uint value)
    {
        UInt16((ushort)(value >> 16));
        UInt16((ushort)value);
    }
}
