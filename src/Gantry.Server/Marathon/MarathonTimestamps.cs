using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Server.Marathon;

/// <summary>
/// Marathon's version timestamps as a client gives them back: an ISO 8601 date and time with an offset (Java's
/// <c>OffsetDateTime.parse</c>, which Marathon's <c>Timestamp(String)</c> uses), anything else a 422 in its words.
/// </summary>
public static partial class MarathonTimestamps
{
    /// <summary>The timestamp, in the form Marathon shows versions in (UTC, milliseconds).</summary>
    public static string Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!OffsetDateTime().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw MarathonException.WithMessage(422, $"Invalid timestamp provided '{text}'. Expecting ISO-8601 datetime string.");
        }

        return AppView.Timestamp(time);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex OffsetDateTime();
}
