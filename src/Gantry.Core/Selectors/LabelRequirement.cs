using System.Globalization;
using System.Text;
using Gantry.Core.Validation;

namespace Gantry.Core.Selectors;

/// <summary>
/// One term of a label selector: a key, an operator and the values it compares against
/// (apimachinery's <c>labels.Requirement</c>).
/// </summary>
public sealed class LabelRequirement
{
    private readonly string[] _values;

    /// <summary>
    /// Validates the term as apimachinery's <c>NewRequirement</c> does and throws
    /// <see cref="SelectorParseException"/> with its message when the key, the values or their count are wrong.
    /// </summary>
    public LabelRequirement(string key, SelectorOperator op, IEnumerable<string> values)
        : this(key, op, Checked(key, op, values))
    {
    }

    private LabelRequirement(string key, SelectorOperator op, string[] values)
    {
        Key = key;
        Operator = op;
        _values = values;
    }

    public string Key { get; }

    public SelectorOperator Operator { get; }

    /// <summary>The values in the order given; parsed selectors hold them sorted and without duplicates.</summary>
    public IReadOnlyList<string> Values => _values;

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        string? value = null;
        var has = labels is not null && labels.TryGetValue(Key, out value);
        switch (Operator)
        {
            case SelectorOperator.In or SelectorOperator.Equals or SelectorOperator.DoubleEquals:
                return has && _values.Contains(value);
            case SelectorOperator.NotIn or SelectorOperator.NotEquals:
                return !has || !_values.Contains(value);
            case SelectorOperator.Exists:
                return has;
            case SelectorOperator.DoesNotExist:
                return !has;
            case SelectorOperator.GreaterThan or SelectorOperator.LessThan:
                if (!has || _values.Length != 1 ||
                    !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual) ||
                    !long.TryParse(_values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
                {
                    return false;
                }

                return Operator == SelectorOperator.GreaterThan ? actual > bound : actual < bound;
            default:
                return false;
        }
    }

    /// <summary>The canonical text: <c>app=web</c>, <c>env in (prod,qa)</c>, <c>!partition</c>, values sorted.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        if (Operator == SelectorOperator.DoesNotExist)
        {
            builder.Append('!');
        }

        builder.Append(Key);
        switch (Operator)
        {
            case SelectorOperator.Equals: builder.Append('='); break;
            case SelectorOperator.DoubleEquals: builder.Append("=="); break;
            case SelectorOperator.NotEquals: builder.Append("!="); break;
            case SelectorOperator.In: builder.Append(" in "); break;
            case SelectorOperator.NotIn: builder.Append(" notin "); break;
            case SelectorOperator.GreaterThan: builder.Append('>'); break;
            case SelectorOperator.LessThan: builder.Append('<'); break;
            default: return builder.ToString();
        }

        var isSet = Operator is SelectorOperator.In or SelectorOperator.NotIn;
        if (isSet)
        {
            builder.Append('(');
        }

        builder.AppendJoin(',', _values.Order(StringComparer.Ordinal));
        if (isSet)
        {
            builder.Append(')');
        }

        return builder.ToString();
    }

    /// <summary>A term known to be valid, such as <c>key=value</c> from a map of labels, built without re-checking it.</summary>
    internal static LabelRequirement Unchecked(string key, SelectorOperator op, params string[] values) => new(key, op, values);

    /// <summary>apimachinery's <c>validateLabelKey</c> at the root path, which Go prints as <c>&lt;nil&gt;</c>.</summary>
    internal static string? CheckKeyAtRoot(string key)
    {
        var messages = FormatValidation.IsQualifiedName(key);
        return messages.Count == 0 ? null : $"<nil>: {FieldErrors.Invalid(FieldPath.Root, key, string.Join("; ", messages)).Message}";
    }

    private static string[] Checked(string key, SelectorOperator op, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        var array = values.ToArray();
        var errors = Validate(key, op, array);
        return errors.Count == 0 ? array : throw new SelectorParseException(Aggregate(errors));
    }

    private static List<FieldError> Validate(string key, SelectorOperator op, string[] values)
    {
        var errors = new List<FieldError>();
        var keyMessages = FormatValidation.IsQualifiedName(key);
        if (keyMessages.Count > 0)
        {
            errors.Add(FieldErrors.Invalid(FieldPath.Of("key"), key, string.Join("; ", keyMessages)));
        }

        var valuesPath = FieldPath.Of("values");

        // Requirements built from API objects copy their values with append, which leaves an empty list nil.
        var badValues = GoValue.Strings(values.Length == 0 ? null : values);
        switch (op)
        {
            case SelectorOperator.In or SelectorOperator.NotIn when values.Length == 0:
                errors.Add(FieldErrors.Invalid(valuesPath, badValues, "for 'in', 'notin' operators, values set can't be empty"));
                break;
            case SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.NotEquals when values.Length != 1:
                errors.Add(FieldErrors.Invalid(valuesPath, badValues, "exact-match compatibility requires one single value"));
                break;
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist when values.Length != 0:
                errors.Add(FieldErrors.Invalid(valuesPath, badValues, "values set must be empty for exists and does not exist"));
                break;
            case SelectorOperator.GreaterThan or SelectorOperator.LessThan:
                if (values.Length != 1)
                {
                    errors.Add(FieldErrors.Invalid(valuesPath, badValues, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }

                for (var i = 0; i < values.Length; i++)
                {
                    if (!long.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        errors.Add(FieldErrors.Invalid(valuesPath.Index(i), values[i], "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }

                break;
        }

        for (var i = 0; i < values.Length; i++)
        {
            var valueMessages = FormatValidation.IsValidLabelValue(values[i]);
            if (valueMessages.Count > 0)
            {
                errors.Add(FieldErrors.Invalid(valuesPath.Index(i).Key(key), values[i], string.Join("; ", valueMessages)));
            }
        }

        return errors;
    }

    // apimachinery's aggregate error: one message alone, several de-duplicated inside brackets.
    private static string Aggregate(List<FieldError> errors)
    {
        var messages = errors.Select(e => e.ToString()).Distinct().ToList();
        return messages.Count == 1 ? messages[0] : "[" + string.Join(", ", messages) + "]";
    }
}
