using System.Globalization;
using System.Text;
using k8s.Models;

namespace Gantry.Core.Validation;

/// <summary>
/// A bad value rendered the way Go's <c>fmt</c> prints it in apimachinery error messages
/// (<c>%#v</c> for maps, slices and structs, <c>%q</c> for strings), so that Gantry's messages read
/// exactly like the apiserver's: <c>map[string]string{"app":"web"}</c>.
/// </summary>
public sealed record GoValue(string Text)
{
    /// <summary>Go's <c>map[string]string</c> under <c>%#v</c>: keys sorted, nil printed as <c>(nil)</c>.</summary>
    public static GoValue Map(IEnumerable<KeyValuePair<string, string>>? map) => new(FormatMap(map));

    /// <summary>Go's <c>[]string</c> under <c>%#v</c>.</summary>
    public static GoValue Strings(IEnumerable<string>? values) => new(FormatStrings(values));

    /// <summary>Go's <c>[]int32</c> under <c>%#v</c>: <c>[]int32{1, 2}</c>, nil printed as <c>[]int32(nil)</c>.</summary>
    public static GoValue Int32s(IEnumerable<int>? values) =>
        new(values is null ? "[]int32(nil)" : "[]int32{" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "}");

    /// <summary>A <c>metav1.LabelSelector</c> as the apiserver prints it, e.g. in <c>field is immutable</c> errors.</summary>
    public static GoValue LabelSelector(V1LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var expressions = selector.MatchExpressions is null
            ? "[]v1.LabelSelectorRequirement(nil)"
            : "[]v1.LabelSelectorRequirement{" + string.Join(", ", selector.MatchExpressions.Select(e =>
                $"v1.LabelSelectorRequirement{{Key:{Quote(e.Key ?? "")}, Operator:{Quote(e.OperatorProperty ?? "")}, Values:{FormatStrings(e.Values)}}}")) + "}";
        return new($"v1.LabelSelector{{MatchLabels:{FormatMap(selector.MatchLabels)}, MatchExpressions:{expressions}}}");
    }

    /// <summary>An <c>intstr.IntOrString</c>, which Go prints field by field (type 0 for numbers, 1 for strings).</summary>
    public static GoValue IntOrString(IntOrString? value)
    {
        var text = value?.Value ?? "";
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? new($"intstr.IntOrString{{Type:0, IntVal:{number.ToString(CultureInfo.InvariantCulture)}, StrVal:\"\"}}")
            : new($"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{Quote(text)}}}");
    }

    /// <summary>
    /// <c>Quantity.String()</c>, the canonical form validation messages print: the client library's own canonical form,
    /// except for negative amounts, which it prints wrongly (<c>-1</c> as <c>-0.000000000000000001E</c>).
    /// </summary>
    public static string QuantityText(ResourceQuantity quantity)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        var amount = quantity.ToDecimal();
        return amount >= 0 ? quantity.ToString() : "-" + new ResourceQuantity(-amount, 0, quantity.Format).ToString();
    }

    /// <summary>A struct too large to print usefully; the apiserver would dump every field.</summary>
    public static GoValue Struct(string goTypeName) => new($"{goTypeName}{{...}}");

    /// <summary>Go's <c>strconv.Quote</c>: double quotes, with backslash escapes for quotes and control characters.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\v': builder.Append("\\v"); break;
                case < 0x20 or 0x7f:
                    builder.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (IsPrintable(rune))
                    {
                        builder.Append(rune.ToString());
                    }
                    else
                    {
                        builder.Append(rune.Value > 0xffff
                            ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture)
                            : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    public override string ToString() => Text;

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation => true,
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
        _ => false,
    };

    private static string FormatMap(IEnumerable<KeyValuePair<string, string>>? map) =>
        map is null
            ? "map[string]string(nil)"
            : "map[string]string{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{Quote(p.Key)}:{Quote(p.Value)}")) + "}";

    private static string FormatStrings(IEnumerable<string>? values) =>
        values is null ? "[]string(nil)" : "[]string{" + string.Join(", ", values.Select(Quote)) + "}";
}
