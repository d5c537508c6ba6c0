using System.Text.RegularExpressions;

namespace Gantry.Server.Marathon;

/// <summary>
/// Marathon's app ids (<c>/group/app</c>, segments of lower-case letters, digits, dashes and dots) and the Deployment
/// each app is kept as: its segments joined with dots, a DNS subdomain short enough to be a label value, so that the
/// app's pods can be selected by it.
/// </summary>
public static partial class AppIds
{
    public const string SegmentPattern = @"^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])|(\.|\.\.)$";

    /// <summary>
    /// A relative id is taken from the root group, as Marathon takes it from the group it is posted to; empty segments are
    /// dropped, as Marathon's PathId drops them.
    /// </summary>
    public static string Absolute(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return "/" + string.Join('/', id.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }

    public static string? Invalid(string absoluteId)
    {
        ArgumentNullException.ThrowIfNull(absoluteId);
        var segments = absoluteId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return "path must not be empty";
        }

        if (segments.Any(s => !Segment().IsMatch(s) || s is "." or ".."))
        {
            return $"must fully match regular expression '{SegmentPattern}'";
        }

        // An app's own paths end so (/v2/apps/{id}/restart …), so Marathon's PathId refuses them as an id's last segment.
        if (segments[^1] is "restart" or "tasks" or "versions")
        {
            return "must not end with any of the following reserved keywords: restart, tasks, versions";
        }

        return Name(absoluteId).Length > 63 ? "is longer than Gantry allows: its segments joined with '.' must fit in 63 characters" : null;
    }

    public static string Name(string absoluteId) => string.Join('.', absoluteId.Split('/', StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])$")]
    private static partial Regex Segment();
}
