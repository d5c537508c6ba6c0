using System.Globalization;
using System.Text;
using k8s.Models;

namespace Gantry.Agent.Pods;

/// <summary>
/// The files of a downwardAPI volume (or projection), as kubelet's <c>downwardapi.CollectData</c> builds them: each
/// item's fieldRef value at its path. The whole <c>metadata.labels</c> or <c>metadata.annotations</c> map renders as
/// <c>key="value"</c> lines sorted by key, the value quoted as Go's <c>%q</c> does. Pure.
/// </summary>
internal static class DownwardApiPayload
{
    /// <exception cref="VolumeSetupException">An item asks for a resource or a field the downward API does not offer.</exception>
    public static Dictionary<string, FileProjection> Of(V1Pod pod, IList<V1DownwardAPIVolumeFile>? items, int? defaultMode, string volume)
    {
        var payload = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            // Container resources need the node's allocatable as the default for an unset limit, which this agent
            // does not track per container here: refuse rather than write a wrong number.
            var path = item.FieldRef?.FieldPath
                ?? throw new VolumeSetupException(volume, $"downwardAPI item {item.Path}: only fieldRef items are supported, not resourceFieldRef");
            payload[item.Path] = new FileProjection(Encoding.UTF8.GetBytes(Value(pod, path, volume)), FileProjection.ModeOf(item.Mode, defaultMode));
        }

        return payload;
    }

    private static string Value(V1Pod pod, string path, string volume)
    {
        try
        {
            return path switch
            {
                "metadata.labels" => FormatMap(pod.Metadata.Labels),
                "metadata.annotations" => FormatMap(pod.Metadata.Annotations),

                // A volume is written before the pod has addresses; the API server refuses status fields in volumes anyway.
                _ => PodFieldPaths.Value(pod, path, podIp: null, hostIp: null),
            };
        }
        catch (ContainerConfigException ex)
        {
            throw new VolumeSetupException(volume, ex.Message);
        }
    }

    /// <summary>fieldpath.FormatMap: <c>key="value"</c> lines in key order, no newline after the last.</summary>
    public static string FormatMap(IDictionary<string, string>? map) =>
        string.Join('\n', (map ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={GoQuote(kv.Value)}"));

    /// <summary>Go's strconv.Quote for the characters a label or annotation can hold: escapes, and \u for non-printables.</summary>
    private static string GoQuote(string value)
    {
        var quoted = new StringBuilder("\"", value.Length + 2);
        foreach (var rune in value.EnumerateRunes())
        {
            quoted.Append(rune.Value switch
            {
                ' ' => " ",
                '"' => "\\\"",
                '\\' => "\\\\",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                < 0x20 or 0x7f => string.Create(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}"),
                _ when Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
                    or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator =>
                    rune.Value > 0xffff
                        ? string.Create(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}")
                        : string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"),
                _ => rune.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
