using System.Text.Json;

namespace Gantry.Agent.Simulated;

/// <summary>
/// What the simulated nodes read of one pod watch event before deciding whether to decode its pod: the event's type,
/// the pod's uid, node and resource version, whether it is being deleted, and where the pod is in the line.
/// </summary>
internal readonly record struct PodWatchEvent(string Type, string? Uid, string? NodeName, string? ResourceVersion, bool Deleting, Range Object)
{
    public static PodWatchEvent Parse(ReadOnlySpan<byte> line)
    {
        var type = "";
        string? uid = null, nodeName = null, resourceVersion = null;
        var deleting = false;
        int start = 0, end = 0;
        var section = Section.Other;
        var reader = new Utf8JsonReader(line);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject when reader.CurrentDepth == 1:
                    start = (int)reader.TokenStartIndex;
                    break;
                case JsonTokenType.EndObject when reader.CurrentDepth == 1:
                    end = (int)reader.BytesConsumed;
                    break;
                case JsonTokenType.PropertyName:
                    ReadMember(ref reader);
                    break;
            }
        }

        return new PodWatchEvent(type, uid, nodeName, resourceVersion, deleting, start..end);

        void ReadMember(ref Utf8JsonReader reader)
        {
            switch (reader.CurrentDepth)
            {
                case 1 when reader.ValueTextEquals("type"u8):
                    reader.Read();
                    type = reader.GetString() ?? "";
                    break;
                case 1 when reader.ValueTextEquals("object"u8):
                    break;
                case 2:
                    section = reader.ValueTextEquals("metadata"u8) ? Section.Metadata
                        : reader.ValueTextEquals("spec"u8) ? Section.Spec
                        : Section.Other;
                    if (section == Section.Other)
                    {
                        reader.Skip();
                    }

                    break;
                case 3 when section == Section.Metadata && reader.ValueTextEquals("uid"u8):
                    reader.Read();
                    uid = reader.GetString();
                    break;
                case 3 when section == Section.Metadata && reader.ValueTextEquals("resourceVersion"u8):
                    reader.Read();
                    resourceVersion = reader.GetString();
                    break;
                case 3 when section == Section.Metadata && reader.ValueTextEquals("deletionTimestamp"u8):
                    reader.Read();
                    deleting = reader.TokenType != JsonTokenType.Null;
                    break;
                case 3 when section == Section.Spec && reader.ValueTextEquals("nodeName"u8):
                    reader.Read();
                    nodeName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private enum Section
    {
        Other,
        Metadata,
        Spec,
    }
}
