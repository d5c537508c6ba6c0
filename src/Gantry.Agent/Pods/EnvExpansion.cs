using System.Text;
using Gantry.Agent.Runtimes;

namespace Gantry.Agent.Pods;

/// <summary>
/// The <c>$(VAR)</c> references of env values, command and args, expanded as Kubernetes' forked
/// <c>third_party/forked/golang/expansion</c> does, byte for byte: users depend on its quirks.
/// </summary>
public static class EnvExpansion
{
    private const char Operator = '$';
    private const char Opener = '(';
    private const char Closer = ')';

    /// <summary>
    /// Replaces each <c>$(NAME)</c> whose name <paramref name="lookup"/> knows and leaves the others as written;
    /// <c>$$</c> is an escaped <c>$</c>, and any other <c>$</c>, or an unclosed <c>$(</c>, stays as it is.
    /// </summary>
    public static string Expand(string input, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lookup);
        if (!input.Contains(Operator, StringComparison.Ordinal))
        {
            return input;
        }

        var output = new StringBuilder(input.Length);
        var checkpoint = 0;
        for (var cursor = 0; cursor < input.Length; cursor++)
        {
            // A trailing '$' has nothing to introduce and is copied with the rest.
            if (input[cursor] != Operator || cursor + 1 == input.Length)
            {
                continue;
            }

            output.Append(input, checkpoint, cursor - checkpoint);
            var next = input[cursor + 1];
            var closer = next == Opener ? input.IndexOf(Closer, cursor + 2) : -1;
            if (closer >= 0)
            {
                var name = input[(cursor + 2)..closer];
                output.Append(lookup(name) ?? $"{Operator}{Opener}{name}{Closer}");
                cursor = closer;
            }
            else
            {
                // "$$" gives one '$'; "$(" with no ')' and '$' before anything else are kept whole. Either way the
                // character after the '$' is consumed, so "$$(A)" is the literal "$(A)".
                output.Append(next == Operator ? $"{Operator}" : $"{Operator}{next}");
                cursor++;
            }

            checkpoint = cursor + 1;
        }

        return output.Append(input, checkpoint, input.Length - checkpoint).ToString();
    }

    /// <summary>
    /// A container's command or args with the references to its final environment expanded, as the kubelet's
    /// <c>ExpandContainerCommandAndArgs</c> does; a later variable of a name wins.
    /// </summary>
    public static List<string> ExpandAll(IEnumerable<string>? items, IEnumerable<EnvVar> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in env)
        {
            values[variable.Name] = variable.Value;
        }

        return items?.Select(item => Expand(item, name => values.GetValueOrDefault(name))).ToList() ?? [];
    }
}
