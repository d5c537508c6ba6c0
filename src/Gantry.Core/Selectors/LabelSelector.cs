using System.Collections.ObjectModel;
using k8s.Models;

namespace Gantry.Core.Selectors;

/// <summary>
/// A parsed label selector: requirements that all must hold (apimachinery's <c>labels.Selector</c>).
/// Immutable and safe to share.
/// </summary>
public sealed class LabelSelector
{
    private readonly LabelRequirement[] _requirements;
    private readonly bool _matchesNothing;

    private LabelSelector(LabelRequirement[] requirements, bool matchesNothing)
    {
        _requirements = requirements;
        _matchesNothing = matchesNothing;
    }

    /// <summary>The selector with no requirements, which matches every object (a missing <c>labelSelector</c>).</summary>
    public static LabelSelector Empty { get; } = new([], matchesNothing: false);

    /// <summary>The selector that matches no object, which a null <c>spec.selector</c> means to controllers.</summary>
    public static LabelSelector Nothing { get; } = new([], matchesNothing: true);

    /// <summary>The requirements, sorted by key.</summary>
    public IReadOnlyList<LabelRequirement> Requirements => _requirements;

    /// <summary>True for a selector without requirements, which matches everything.</summary>
    public bool IsEmpty => !_matchesNothing && _requirements.Length == 0;

    /// <summary>
    /// Parses the query syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>env in (prod, qa)</c>,
    /// <c>tier notin (x)</c>, <c>partition</c>, <c>!partition</c>, <c>n&gt;3</c>, joined by commas.
    /// Null or blank text gives <see cref="Empty"/>.
    /// </summary>
    /// <exception cref="SelectorParseException">The text is not a valid selector; the message is the apiserver's.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }

        var requirements = LabelSelectorParser.Parse(text);
        return requirements.Count == 0 ? Empty : new([.. requirements], matchesNothing: false);
    }

    /// <summary>
    /// <see cref="FromModel"/>, or nothing for a selector that does not convert: what a controller selects with, as
    /// kube's controllers skip an owner whose selector fails <c>LabelSelectorAsSelector</c>.
    /// </summary>
    public static LabelSelector FromModelOrNothing(V1LabelSelector? selector)
    {
        try
        {
            return FromModel(selector);
        }
        catch (SelectorParseException)
        {
            return Nothing;
        }
    }

    /// <summary>
    /// The selector of a <c>metav1.LabelSelector</c> (<c>matchLabels</c> and <c>matchExpressions</c>), as
    /// apimachinery's <c>LabelSelectorAsSelector</c> builds it: null matches nothing, an empty one everything.
    /// </summary>
    /// <exception cref="SelectorParseException">An operator is unknown or a requirement is invalid.</exception>
    public static LabelSelector FromModel(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            requirements.Add(new LabelRequirement(key, SelectorOperator.Equals, [value]));
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var op = expression.OperatorProperty switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                _ => throw new SelectorParseException($"\"{expression.OperatorProperty}\" is not a valid label selector operator"),
            };
            requirements.Add(new LabelRequirement(expression.Key ?? "", op, expression.Values ?? []));
        }

        return requirements.Count == 0 ? Empty : new([.. requirements.OrderBy(r => r.Key, StringComparer.Ordinal)], matchesNothing: false);
    }

    /// <summary>
    /// The selector of a plain map (a ReplicationController's or Service's <c>spec.selector</c>): every pair
    /// must match. Null or empty gives <see cref="Empty"/>; the pairs are not re-validated.
    /// </summary>
    public static LabelSelector FromSet(IEnumerable<KeyValuePair<string, string>>? labels)
    {
        var requirements = (labels ?? [])
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => LabelRequirement.Unchecked(p.Key, SelectorOperator.Equals, p.Value))
            .ToArray();
        return requirements.Length == 0 ? Empty : new(requirements, matchesNothing: false);
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels) =>
        !_matchesNothing && _requirements.All(r => r.Matches(labels));

    /// <summary>Matches an object's <c>metadata.labels</c>.</summary>
    public bool Matches(V1ObjectMeta? metadata) => Matches(metadata?.Labels switch
    {
        null => null,
        IReadOnlyDictionary<string, string> readOnly => readOnly,
        var labels => new ReadOnlyDictionary<string, string>(labels),
    });

    /// <summary>
    /// The value <paramref name="key"/> must have for an object to match, when the selector pins it to exactly
    /// one (<c>key=value</c>, <c>key==value</c>, <c>key in (value)</c>): useful to narrow a list by an index.
    /// </summary>
    public bool TryGetExactMatch(string key, out string value)
    {
        foreach (var requirement in _requirements)
        {
            if (requirement.Key != key)
            {
                continue;
            }

            if (requirement.Operator is SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.In &&
                requirement.Values.Count == 1)
            {
                value = requirement.Values[0];
                return true;
            }

            break;
        }

        value = "";
        return false;
    }

    /// <summary>The canonical text, requirements sorted by key and joined by commas: <c>app=web,tier in (a,b)</c>.</summary>
    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));
}
