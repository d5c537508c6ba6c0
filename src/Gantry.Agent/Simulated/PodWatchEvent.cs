using System.Text.Json;

namespace Gantry.Agent.Simulated;

/// <summary>
/// What a reader of a pod watch reads of one event before deciding whether to decode its pod, straight off the event's
/// line: the event's type, the pod's name, uid, node, phase and resource version, whether it is being deleted, and where
/// the pod is in the line. The simulated nodes decode only the pods that need work; the scheduling bench's measuring
/// watch decodes none (typed decoding of every event made it fall seconds behind the binds it times).
/// </summary>
public readonly record struct PodWatchEvent(
    string Type, string? Name, string? Uid, string? NodeName, string? Phase, string? ResourceVersion, bool Deleting, Range Object)
{
    public static PodWatchEvent Parse(ReadOnlySpan<byte> line)
    {
        var type = "";
        string? name = null, uid = null, nodeName = null, phase = null, resourceVersion = null;
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

        return new PodWatchEvent(type, name, uid, nodeName, phase, resourceVersion, deleting, start..end);

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
                        : reader.ValueTextEquals("status"u8) ? Section.Status
                        : Section.Other;
                    if (section == Section.Other)
                    {
                        reader.Skip();
                    }

                    break;
                case 3 when section == Section.Metadata && reader.ValueTextEquals("name"u8):
                    reader.Read();
                    name = reader.GetString();
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
                case 3 when section == Section.Status && reader.ValueTextEquals("phase"u8):
                    reader.Read();
                    phase = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
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
        Status,
    }
}
