namespace Gantry.Core.Selectors;

/// <summary>
/// apimachinery's label selector parser, ported decision for decision so that what it accepts, what it
/// rejects and the words of its errors are the same as the apiserver's.
/// </summary>
internal sealed class LabelSelectorParser
{
    private readonly List<LabelSelectorToken> _tokens = [];
    private int _position;

    private LabelSelectorParser(string text)
    {
        var lexer = new LabelSelectorLexer(text);
        while (true)
        {
            var token = lexer.Next();
            _tokens.Add(token);
            if (token.Kind == LabelSelectorTokenKind.EndOfString)
            {
                break;
            }
        }
    }

    /// <summary>The requirements of <paramref name="text"/>, sorted by key; throws <see cref="SelectorParseException"/>.</summary>
    public static List<LabelRequirement> Parse(string text)
    {
        var requirements = new LabelSelectorParser(text).ParseRequirements();
        return requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
    }

    private List<LabelRequirement> ParseRequirements()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (kind, literal) = Lookahead(valuesContext: true);
            switch (kind)
            {
                case LabelSelectorTokenKind.Identifier or LabelSelectorTokenKind.DoesNotExist:
                    requirements.Add(ParseRequirementOrThrow());
                    var (next, nextLiteral) = Consume(valuesContext: true);
                    switch (next)
                    {
                        case LabelSelectorTokenKind.EndOfString:
                            return requirements;
                        case LabelSelectorTokenKind.Comma:
                            var (after, afterLiteral) = Lookahead(valuesContext: true);
                            if (after is not (LabelSelectorTokenKind.Identifier or LabelSelectorTokenKind.DoesNotExist))
                            {
                                throw new SelectorParseException($"found '{afterLiteral}', expected: identifier after ','");
                            }

                            break;
                        default:
                            throw new SelectorParseException($"found '{nextLiteral}', expected: ',' or 'end of string'");
                    }

                    break;
                case LabelSelectorTokenKind.EndOfString:
                    return requirements;
                default:
                    throw new SelectorParseException($"found '{literal}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirementOrThrow()
    {
        try
        {
            return ParseRequirement();
        }
        catch (SelectorParseException e)
        {
            throw new SelectorParseException($"unable to parse requirement: {e.Message}", e);
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, inferred) = ParseKeyAndInferOperator();
        if (inferred is SelectorOperator.Exists or SelectorOperator.DoesNotExist)
        {
            return new LabelRequirement(key, inferred.Value, []);
        }

        var op = ParseOperator();
        var values = op is SelectorOperator.In or SelectorOperator.NotIn ? ParseValues() : ParseExactValue();
        return new LabelRequirement(key, op, values.Order(StringComparer.Ordinal));
    }

    private (string Key, SelectorOperator? Operator) ParseKeyAndInferOperator()
    {
        SelectorOperator? op = null;
        var (kind, literal) = Consume(valuesContext: true);
        if (kind == LabelSelectorTokenKind.DoesNotExist)
        {
            op = SelectorOperator.DoesNotExist;
            (kind, literal) = Consume(valuesContext: true);
        }

        if (kind != LabelSelectorTokenKind.Identifier)
        {
            throw new SelectorParseException($"found '{literal}', expected: identifier");
        }

        if (LabelRequirement.CheckKeyAtRoot(literal) is { } keyError)
        {
            throw new SelectorParseException(keyError);
        }

        var (next, _) = Lookahead(valuesContext: true);
        if (next is LabelSelectorTokenKind.EndOfString or LabelSelectorTokenKind.Comma && op is null)
        {
            op = SelectorOperator.Exists;
        }

        return (literal, op);
    }

    private SelectorOperator ParseOperator()
    {
        var (kind, literal) = Consume(valuesContext: false);
        return kind switch
        {
            LabelSelectorTokenKind.In => SelectorOperator.In,
            LabelSelectorTokenKind.Equals => SelectorOperator.Equals,
            LabelSelectorTokenKind.DoubleEquals => SelectorOperator.DoubleEquals,
            LabelSelectorTokenKind.GreaterThan => SelectorOperator.GreaterThan,
            LabelSelectorTokenKind.LessThan => SelectorOperator.LessThan,
            LabelSelectorTokenKind.NotIn => SelectorOperator.NotIn,
            LabelSelectorTokenKind.NotEquals => SelectorOperator.NotEquals,
            _ => throw new SelectorParseException($"found '{literal}', expected: in, notin, =, ==, !=, gt, lt"),
        };
    }

    private SortedSet<string> ParseValues()
    {
        var (kind, literal) = Consume(valuesContext: true);
        if (kind != LabelSelectorTokenKind.OpenParenthesis)
        {
            throw new SelectorParseException($"found '{literal}' expected: '('");
        }

        (kind, literal) = Lookahead(valuesContext: true);
        switch (kind)
        {
            case LabelSelectorTokenKind.Identifier or LabelSelectorTokenKind.Comma:
                var values = ParseIdentifiers();
                if (Consume(valuesContext: true).Kind != LabelSelectorTokenKind.ClosedParenthesis)
                {
                    // apimachinery reports the token that opened the list here, not the offending one.
                    throw new SelectorParseException($"found '{literal}', expected: ')'");
                }

                return values;
            case LabelSelectorTokenKind.ClosedParenthesis:
                Consume(valuesContext: true);
                return new SortedSet<string>(StringComparer.Ordinal) { "" };
            default:
                throw new SelectorParseException($"found '{literal}', expected: ',', ')' or identifier");
        }
    }

    private SortedSet<string> ParseIdentifiers()
    {
        var values = new SortedSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (kind, literal) = Consume(valuesContext: true);
            switch (kind)
            {
                case LabelSelectorTokenKind.Identifier:
                    values.Add(literal);
                    var (next, nextLiteral) = Lookahead(valuesContext: true);
                    switch (next)
                    {
                        case LabelSelectorTokenKind.Comma:
                            continue;
                        case LabelSelectorTokenKind.ClosedParenthesis:
                            return values;
                        default:
                            throw new SelectorParseException($"found '{nextLiteral}', expected: ',' or ')'");
                    }

                case LabelSelectorTokenKind.Comma:
                    // An empty slot between commas or parentheses stands for the empty value.
                    if (values.Count == 0)
                    {
                        values.Add("");
                    }

                    var (following, _) = Lookahead(valuesContext: true);
                    if (following == LabelSelectorTokenKind.ClosedParenthesis)
                    {
                        values.Add("");
                        return values;
                    }

                    if (following == LabelSelectorTokenKind.Comma)
                    {
                        Consume(valuesContext: true);
                        values.Add("");
                    }

                    break;
                default:
                    throw new SelectorParseException($"found '{literal}', expected: ',', or identifier");
            }
        }
    }

    private SortedSet<string> ParseExactValue()
    {
        var (kind, _) = Lookahead(valuesContext: true);
        if (kind is LabelSelectorTokenKind.EndOfString or LabelSelectorTokenKind.Comma)
        {
            return new SortedSet<string>(StringComparer.Ordinal) { "" };
        }

        var (consumed, literal) = Consume(valuesContext: true);
        return consumed == LabelSelectorTokenKind.Identifier
            ? new SortedSet<string>(StringComparer.Ordinal) { literal }
            : throw new SelectorParseException($"found '{literal}', expected: identifier");
    }

    // Where values are expected, the keywords "in" and "notin" are ordinary identifiers.
    private LabelSelectorToken Lookahead(bool valuesContext) => AsContext(_tokens[_position], valuesContext);

    private LabelSelectorToken Consume(bool valuesContext) => AsContext(_tokens[_position++], valuesContext);

    private static LabelSelectorToken AsContext(LabelSelectorToken token, bool valuesContext) =>
        valuesContext && token.Kind is LabelSelectorTokenKind.In or LabelSelectorTokenKind.NotIn
            ? token with { Kind = LabelSelectorTokenKind.Identifier }
            : token;
}
