namespace Gantry.Agent.Pods;

/// <summary>
/// A resolv.conf's three settings, as the kubelet reads the host's and writes each pod's: nameservers, search domains
/// (the last <c>search</c> line wins, trailing dots dropped) and options.
/// </summary>
public sealed record ResolvConf(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options)
{
    public static readonly ResolvConf Empty = new([], [], []);

    public static ResolvConf Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var nameservers = new List<string>();
        IReadOnlyList<string> searches = [];
        var options = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                continue;
            }

            switch (trimmed.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                case ["nameserver", var server, ..]:
                    nameservers.Add(server);
                    break;
                case ["search", .. var domains]:
                    searches = [.. domains.Where(d => d != ".").Select(d => d.TrimEnd('.'))];
                    break;
                case ["options", .. var values]:
                    options.AddRange(values);
                    break;
            }
        }

        return new ResolvConf(nameservers, searches, options);
    }

    /// <summary>The file's text, as the kubelet writes it for a pod.</summary>
    public string Render()
    {
        var lines = new List<string>();
        if (Searches.Count > 0)
        {
            lines.Add("search " + string.Join(' ', Searches));
        }

        lines.AddRange(Nameservers.Select(n => "nameserver " + n));
        if (Options.Count > 0)
        {
            lines.Add("options " + string.Join(' ', Options));
        }

        return string.Concat(lines.Select(l => l + "\n"));
    }
}
