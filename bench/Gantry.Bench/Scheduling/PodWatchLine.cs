using System.Text.Json;

namespace Gantry.Bench.Scheduling;

/// <summary>
/// What the bench reads of one pod watch event: the pod's name and resource version, whether it is bound, whether it
/// runs. Read straight off the event's line: decoding every event into a typed pod cost the bench's watch so much CPU,
/// with the server and 5,000 simulated nodes on the same two cores, that it fell seconds behind the binds it times.
/// </summary>
internal readonly record struct PodWatchLine(string? Name, string? ResourceVersion, bool Bound, bool Running)
{
    public static PodWatchLine Parse(ReadOnlySpan<byte> line)
    {
        string? name = null, resourceVersion = null;
        bool bound = false, running = false;
        var reader = new Utf8JsonReader(line);
        var section = Section.Other;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            switch (reader.CurrentDepth)
            {
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
                case 3 when section == Section.Metadata && reader.ValueTextEquals("resourceVersion"u8):
                    reader.Read();
                    resourceVersion = reader.GetString();
                    break;
                case 3 when section == Section.Spec && reader.ValueTextEquals("nodeName"u8):
                    reader.Read();
                    bound = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
                    break;
                case 3 when section == Section.Status && reader.ValueTextEquals("phase"u8):
                    reader.Read();
                    running = reader.ValueTextEquals("Running"u8);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new PodWatchLine(name, resourceVersion, bound, running);
    }

    private enum Section
    {
        Other,
        Metadata,
        Spec,
        Status,
    }
}
