using System.Reflection;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Gantry.Server.Api.OpenApi;

/// <summary>
/// The summaries of model types and properties from the XML documentation shipped with the model assembly
/// (KubernetesClient.xml beside KubernetesClient.dll), which are the Kubernetes API descriptions. The file is
/// large, so only the members of the requested types are kept. Without the file every description is absent.
/// </summary>
internal sealed class ModelDocumentation
{
    private readonly Dictionary<string, string> _summaries;

    private ModelDocumentation(Dictionary<string, string> summaries) => _summaries = summaries;

    public static ModelDocumentation Load(Assembly assembly, IReadOnlySet<Type> types)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return new ModelDocumentation(summaries);
        }

        var typeNames = types.Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);
        using var reader = XmlReader.Create(path, new XmlReaderSettings { IgnoreComments = true, DtdProcessing = DtdProcessing.Prohibit });
        reader.MoveToContent();
        while (reader.ReadToFollowing("member"))
        {
            var name = reader.GetAttribute("name");
            if (name is null || !IsWanted(name, typeNames))
            {
                continue;
            }

            var member = (XElement)XNode.ReadFrom(reader);
            var summary = member.Element("summary")?.Value;
            if (!string.IsNullOrWhiteSpace(summary))
            {
                summaries[name] = Normalize(summary);
            }
        }

        return new ModelDocumentation(summaries);
    }

    public string? Type(Type type) => _summaries.GetValueOrDefault("T:" + type.FullName);

    public string? Property(PropertyInfo property) =>
        _summaries.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}");

    private static bool IsWanted(string member, HashSet<string> typeNames)
    {
        if (member.StartsWith("T:", StringComparison.Ordinal))
        {
            return typeNames.Contains(member[2..]);
        }

        if (!member.StartsWith("P:", StringComparison.Ordinal))
        {
            return false;
        }

        var dot = member.LastIndexOf('.');
        return dot > 2 && typeNames.Contains(member[2..dot]);
    }

    /// <summary>
    /// The documentation generator wrapped the API descriptions at 80 columns and indented them; undo that,
    /// keeping blank lines as paragraph breaks.
    /// </summary>
    private static string Normalize(string summary)
    {
        var text = new StringBuilder();
        var pendingBreak = false;
        foreach (var rawLine in summary.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                pendingBreak = text.Length > 0;
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(pendingBreak ? "\n\n" : " ");
            }

            text.Append(line);
            pendingBreak = false;
        }

        return text.ToString();
    }
}
