using System.Text.Json;

namespace Gantry.Bench.Scenarios;

/// <summary>Reads a list's continue token without parsing its (large) items.</summary>
internal static class ListMetadata
{
    /// <returns>The token, or null on the last page.</returns>
    public static string? Continue(ReadOnlySpan<byte> listJson)
    {
        var reader = new Utf8JsonReader(listJson);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            if (!reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isContinue = reader.ValueTextEquals("continue"u8);
                reader.Read();
                if (isContinue)
                {
                    return reader.GetString() is { Length: > 0 } token ? token : null;
                }

                reader.Skip();
            }

            return null;
        }

        return null;
    }
}
