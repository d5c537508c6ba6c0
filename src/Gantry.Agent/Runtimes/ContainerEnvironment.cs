namespace Gantry.Agent.Runtimes;

/// <summary>
/// A container's environment as NAME=VALUE words: the image's, then the pod's (a pod variable
/// replaces the image's of the same name in place), with a default PATH when neither sets one,
/// as Docker and containerd do.
/// </summary>
internal static class ContainerEnvironment
{
    public const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static IReadOnlyList<string> Merge(IReadOnlyList<string> image, IReadOnlyList<EnvVar> container)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(container);
        var merged = new List<KeyValuePair<string, string>>();
        foreach (var word in image)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            Set(merged, equals < 0 ? word : word[..equals], equals < 0 ? string.Empty : word[(equals + 1)..]);
        }

        foreach (var variable in container)
        {
            Set(merged, variable.Name, variable.Value);
        }

        var words = merged.Select(v => $"{v.Key}={v.Value}").ToList();
        if (!merged.Exists(v => v.Key == "PATH"))
        {
            words.Insert(0, DefaultPath);
        }

        return words;
    }

    private static void Set(List<KeyValuePair<string, string>> variables, string name, string value)
    {
        var index = variables.FindIndex(v => v.Key == name);
        if (index >= 0)
        {
            variables[index] = new(name, value);
        }
        else
        {
            variables.Add(new(name, value));
        }
    }
}
