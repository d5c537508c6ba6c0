using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Gantry.Server.ClusterDns;

/// <summary>
/// Parses a DNS message from its wire form (RFC 1035 §4), following compression pointers (only backwards, so a loop
/// cannot hide in one). Pure; throws <see cref="DnsFormatException"/> on anything malformed.
/// </summary>
public static class DnsReader
{
    private const int HeaderLength = 12;

    /// <summary>The message ID, when at least that much arrived: what a FORMERR reply has to carry.</summary>
    public static ushort? IdOf(ReadOnlySpan<byte> message) =>
        message.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(message) : null;

    public static DnsMessage Read(ReadOnlyMemory<byte> message)
    {
        var bytes = message.Span;
        if (bytes.Length < HeaderLength)
        {
            throw new DnsFormatException("the message is shorter than a header");
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        var offset = HeaderLength;
        var questions = new List<DnsQuestion>();
        for (var i = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]); i > 0; i--)
        {
            var name = ReadName(bytes, ref offset);
            questions.Add(new DnsQuestion(name, ReadUInt16(bytes, ref offset), ReadUInt16(bytes, ref offset)));
        }

        var answers = ReadRecords(message, BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]), ref offset);
        var authorities = ReadRecords(message, BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]), ref offset);
        var additionals = ReadRecords(message, BinaryPrimitives.ReadUInt16BigEndian(bytes[10..]), ref offset);
        return new DnsMessage
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(bytes),
            IsResponse = (flags & 0x8000) != 0,
            Opcode = (flags >> 11) & 0xF,
            Authoritative = (flags & 0x0400) != 0,
            Truncated = (flags & 0x0200) != 0,
            RecursionDesired = (flags & 0x0100) != 0,
            RecursionAvailable = (flags & 0x0080) != 0,
            ResponseCode = (DnsResponseCode)(flags & 0xF),
            Questions = questions,
            Answers = answers,
            Authorities = authorities,
            Additionals = additionals,
        };
    }

    private static List<DnsRecord> ReadRecords(ReadOnlyMemory<byte> message, int count, ref int offset)
    {
        var bytes = message.Span;
        var records = new List<DnsRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var name = ReadName(bytes, ref offset);
            var type = ReadUInt16(bytes, ref offset);
            var @class = ReadUInt16(bytes, ref offset);
            var ttl = (uint)(ReadUInt16(bytes, ref offset) << 16 | ReadUInt16(bytes, ref offset));
            var length = ReadUInt16(bytes, ref offset);
            if (offset + length > bytes.Length)
            {
                throw new DnsFormatException("a record's data runs past the end of the message");
            }

            var end = offset + length;
            var data = ReadData(message, type, offset, end);
            offset = end;
            records.Add(new DnsRecord(name, type, @class, ttl, data));
        }

        return records;
    }

    private static DnsRecordData ReadData(ReadOnlyMemory<byte> message, ushort type, int start, int end)
    {
        var bytes = message.Span;
        var offset = start;
        DnsRecordData data;
        switch (type)
        {
            case DnsType.A when end - start == 4:
            case DnsType.Aaaa when end - start == 16:
                return new AddressData(new IPAddress(bytes[start..end]));
            case DnsType.Cname or DnsType.Ns or DnsType.Ptr:
                data = new NameData(ReadName(bytes, ref offset));
                break;
            case DnsType.Srv:
                data = new SrvData(ReadUInt16(bytes, ref offset), ReadUInt16(bytes, ref offset), ReadUInt16(bytes, ref offset), ReadName(bytes, ref offset));
                break;
            case DnsType.Soa:
                var primary = ReadName(bytes, ref offset);
                var mailbox = ReadName(bytes, ref offset);
                data = new SoaData(primary, mailbox, ReadUInt32(bytes, ref offset), ReadUInt32(bytes, ref offset), ReadUInt32(bytes, ref offset),
                    ReadUInt32(bytes, ref offset), ReadUInt32(bytes, ref offset));
                break;
            default:
                return new RawData(message[start..end].ToArray());
        }

        return offset == end ? data : throw new DnsFormatException($"a type {type} record's data has the wrong length");
    }

    /// <summary>Reads a possibly compressed name and leaves <paramref name="offset"/> after it (after the first pointer, if any).</summary>
    private static string ReadName(ReadOnlySpan<byte> bytes, ref int offset)
    {
        var name = new StringBuilder();
        var position = offset;
        var jumped = false;
        var lowestTarget = offset;
        while (true)
        {
            if (position >= bytes.Length)
            {
                throw new DnsFormatException("a name runs past the end of the message");
            }

            var length = bytes[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= bytes.Length)
                {
                    throw new DnsFormatException("a compression pointer is cut short");
                }

                var target = ((length & 0x3F) << 8) | bytes[position + 1];
                if (target >= lowestTarget)
                {
                    throw new DnsFormatException("a compression pointer does not point backwards");
                }

                if (!jumped)
                {
                    offset = position + 2;
                    jumped = true;
                }

                lowestTarget = target;
                position = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw new DnsFormatException("a label has an unknown type");
            }

            position++;
            if (length == 0)
            {
                break;
            }

            if (position + length > bytes.Length)
            {
                throw new DnsFormatException("a label runs past the end of the message");
            }

            if (name.Length > 0)
            {
                name.Append('.');
            }

            name.Append(Encoding.ASCII.GetString(bytes.Slice(position, length)));
            position += length;
            if (name.Length > 253)
            {
                throw new DnsFormatException("a name is longer than 255 octets");
            }
        }

        if (!jumped)
        {
            offset = position;
        }

        return name.ToString();
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, ref int offset)
    {
        if (offset + 2 > bytes.Length)
        {
            throw new DnsFormatException("the message ends inside a field");
        }

        var value = BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]);
        offset += 2;
        return value;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, ref int offset) =>
        (uint)(ReadUInt16(bytes, ref offset) << 16 | ReadUInt16(bytes, ref offset));
}
