using System.Globalization;
using System.Numerics;

namespace Gantry.Core.Cel;

/// <summary>
/// A recursive-descent parser for the CEL grammar. Like cel-go it expands macros while parsing (<c>has</c>,
/// <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>map</c>, <c>filter</c>, <c>cel.bind</c>), builds balanced trees for
/// chains of <c>&amp;&amp;</c> and <c>||</c>, and bounds nesting so evaluation cannot exhaust the stack.
/// </summary>
internal sealed class Parser
{
    private const int MaxRecursion = 250;
    private const int MaxDepth = 1000;

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
        "namespace", "return", "var", "void", "while",
    };

    private readonly string _source;
    private readonly List<Token> _tokens;
    private int _index;
    private int _recursion;

    private Parser(string source)
    {
        _source = source;
        _tokens = new Lexer(source).Tokenize();
    }

    public static Node Parse(string source)
    {
        var parser = new Parser(source);
        var node = parser.ParseExpr();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw parser.Mismatched("<EOF>");
        }
        return node;
    }

    private Token Current => _tokens[_index];

    private Token PeekAt(int offset) => _tokens[Math.Min(_index + offset, _tokens.Count - 1)];

    private Token Advance() => _tokens[_index++];

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }
        _index++;
        return true;
    }

    private Token Expect(TokenKind kind, string what) => Current.Kind == kind ? Advance() : throw Mismatched(what);

    private CelCompileException Mismatched(string expected) =>
        SourceErrors.Syntax(_source, Current.Position,
            Current.Kind == TokenKind.End ? $"mismatched input '<EOF>' expecting {expected}" : $"mismatched input '{Current.Text}' expecting {expected}");

    private T Checked<T>(T node) where T : Node =>
        node.Depth > MaxDepth ? throw SourceErrors.Syntax(_source, node.Position, "expression recursion limit exceeded") : node;

    private Node ParseExpr()
    {
        if (++_recursion > MaxRecursion)
        {
            throw SourceErrors.Syntax(_source, Current.Position, "expression recursion limit exceeded");
        }
        var condition = ParseLogic(isOr: true);
        if (Current.Kind == TokenKind.Question)
        {
            var at = Advance().Position;
            var whenTrue = ParseLogic(isOr: true);
            Expect(TokenKind.Colon, "':'");
            var whenFalse = ParseExpr();
            condition = Checked(new ConditionalNode(at, condition, whenTrue, whenFalse));
        }
        _recursion--;
        return condition;
    }

    private Node ParseLogic(bool isOr)
    {
        var op = isOr ? TokenKind.OrOr : TokenKind.AndAnd;
        var operands = new List<Node> { isOr ? ParseLogic(isOr: false) : ParseRelation() };
        var positions = new List<int>();
        while (Current.Kind == op)
        {
            positions.Add(Advance().Position);
            operands.Add(isOr ? ParseLogic(isOr: false) : ParseRelation());
        }
        return Balance(operands, positions, 0, operands.Count - 1, isOr);
    }

    // cel-go balances logical chains so long rule lists stay shallow.
    private Node Balance(List<Node> operands, List<int> positions, int lo, int hi, bool isOr)
    {
        if (lo == hi)
        {
            return operands[lo];
        }
        var mid = (lo + hi + 1) / 2;
        return Checked(new LogicNode(positions[mid - 1], isOr,
            Balance(operands, positions, lo, mid - 1, isOr), Balance(operands, positions, mid, hi, isOr)));
    }

    private Node ParseRelation()
    {
        var left = ParseAddition();
        while (true)
        {
            var function = Current.Kind switch
            {
                TokenKind.Less => "_<_",
                TokenKind.LessEqual => "_<=_",
                TokenKind.Greater => "_>_",
                TokenKind.GreaterEqual => "_>=_",
                TokenKind.EqualEqual => "_==_",
                TokenKind.NotEqual => "_!=_",
                TokenKind.In => "@in",
                _ => null,
            };
            if (function is null)
            {
                return left;
            }
            var at = Advance().Position;
            left = Checked(new CallNode(at, function, null, [left, ParseAddition()]));
        }
    }

    private Node ParseAddition()
    {
        var left = ParseMultiplication();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance();
            left = Checked(new CallNode(op.Position, op.Kind == TokenKind.Plus ? "_+_" : "_-_", null, [left, ParseMultiplication()]));
        }
        return left;
    }

    private Node ParseMultiplication()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Advance();
            var function = op.Kind switch { TokenKind.Star => "_*_", TokenKind.Slash => "_/_", _ => "_%_" };
            left = Checked(new CallNode(op.Position, function, null, [left, ParseUnary()]));
        }
        return left;
    }

    private Node ParseUnary()
    {
        if (Current.Kind is TokenKind.Bang or TokenKind.Minus)
        {
            var op = Current;
            var count = 0;
            while (Current.Kind == op.Kind)
            {
                count++;
                Advance();
            }
            // A minus directly before a number is the literal's sign (so -9223372036854775808 is an int).
            if (op.Kind == TokenKind.Minus && Current.Kind is TokenKind.Int or TokenKind.Double)
            {
                _index--;
                count--;
            }
            var operand = ParseMember();
            // As in cel-go, pairs of ! or - cancel out.
            return count % 2 == 0 ? operand : Checked(new CallNode(op.Position, op.Kind == TokenKind.Bang ? "!_" : "-_", null, [operand]));
        }
        return ParseMember();
    }

    private Node ParseMember()
    {
        var node = ParsePrimary();
        while (true)
        {
            var at = Current.Position;
            if (Accept(TokenKind.Dot))
            {
                if (Current.Kind == TokenKind.Question)
                {
                    throw SourceErrors.Unsupported(_source, at, "optional field selection '.?' is not supported");
                }
                var name = Expect(TokenKind.Ident, "IDENTIFIER");
                if (Accept(TokenKind.LParen))
                {
                    node = Checked(MemberCall(name, node, ParseArguments(TokenKind.RParen)));
                }
                else
                {
                    node = Checked(new SelectNode(name.Position, node, name.Text, testOnly: false));
                }
            }
            else if (Accept(TokenKind.LBracket))
            {
                if (Current.Kind == TokenKind.Question)
                {
                    throw SourceErrors.Unsupported(_source, at, "optional index '[?' is not supported");
                }
                var index = ParseExpr();
                Expect(TokenKind.RBracket, "']'");
                node = Checked(new IndexNode(at, node, index));
            }
            else if (Current.Kind == TokenKind.LBrace && node is IdentNode or SelectNode)
            {
                throw SourceErrors.Unsupported(_source, at, "message construction is not supported");
            }
            else
            {
                return node;
            }
        }
    }

    private List<Node> ParseArguments(TokenKind close)
    {
        var args = new List<Node>();
        if (Accept(close))
        {
            return args;
        }
        while (true)
        {
            if (close == TokenKind.RBracket && Current.Kind == TokenKind.Question)
            {
                throw SourceErrors.Unsupported(_source, Current.Position, "optional list elements '[?' are not supported");
            }
            args.Add(ParseExpr());
            if (Accept(close))
            {
                return args;
            }
            Expect(TokenKind.Comma, close == TokenKind.RParen ? "{',', ')'}" : "{',', ']'}");
            // Lists allow a trailing comma; calls do not.
            if (close == TokenKind.RBracket && Accept(close))
            {
                return args;
            }
        }
    }

    private Node ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Dot when PeekAt(1).Kind == TokenKind.Ident:
                Advance();
                return ParseIdentOrCall(Advance());
            case TokenKind.Ident:
                return ParseIdentOrCall(Advance());
            case TokenKind.LParen:
                Advance();
                var inner = ParseExpr();
                Expect(TokenKind.RParen, "')'");
                return inner;
            case TokenKind.LBracket:
                Advance();
                return new ListNode(token.Position, ParseArguments(TokenKind.RBracket));
            case TokenKind.LBrace:
                Advance();
                return ParseMap(token.Position);
            case TokenKind.Minus:
                Advance();
                return NumberLiteral(Advance(), negative: true);
            case TokenKind.Int or TokenKind.Double or TokenKind.Uint:
                return NumberLiteral(Advance(), negative: false);
            case TokenKind.String or TokenKind.Bytes:
                Advance();
                return new LiteralNode(token.Position, token.Value);
            case TokenKind.True or TokenKind.False:
                Advance();
                return new LiteralNode(token.Position, token.Kind == TokenKind.True);
            case TokenKind.Null:
                Advance();
                return new LiteralNode(token.Position, null);
            default:
                throw Mismatched("an expression");
        }
    }

    private Node ParseIdentOrCall(Token name)
    {
        if (Reserved.Contains(name.Text))
        {
            throw SourceErrors.Syntax(_source, name.Position, $"reserved identifier: {name.Text}");
        }
        if (!Accept(TokenKind.LParen))
        {
            return new IdentNode(name.Position, name.Text);
        }
        var args = ParseArguments(TokenKind.RParen);
        if (name.Text == "has")
        {
            if (args is not [SelectNode select])
            {
                throw SourceErrors.Syntax(_source, name.Position, "invalid argument to has() macro");
            }
            return new SelectNode(select.Position, select.Operand, select.Field, testOnly: true);
        }
        return Checked(new CallNode(name.Position, name.Text, null, args));
    }

    private Node MemberCall(Token name, Node target, List<Node> args)
    {
        var kind = name.Text switch
        {
            "all" => MacroKind.All,
            "exists" => MacroKind.Exists,
            "exists_one" => MacroKind.ExistsOne,
            "map" => MacroKind.Map,
            "filter" => MacroKind.Filter,
            _ => (MacroKind?)null,
        };
        if (kind is { } macro)
        {
            var supported = macro == MacroKind.Map ? args.Count is 2 or 3 : args.Count == 2;
            if (!supported)
            {
                if (args.Count > 2)
                {
                    throw SourceErrors.Unsupported(_source, name.Position, $"the {args.Count}-argument form of {name.Text}() is not supported");
                }
                throw SourceErrors.Syntax(_source, name.Position, $"wrong number of arguments to {name.Text}() macro");
            }
            var variable = VariableName(args[0], name.Text);
            return macro switch
            {
                MacroKind.Map when args.Count == 3 => new ComprehensionNode(name.Position, macro, target, variable, args[1], args[2]),
                MacroKind.Map => new ComprehensionNode(name.Position, macro, target, variable, null, args[1]),
                _ => new ComprehensionNode(name.Position, macro, target, variable, args[1], null),
            };
        }
        if (target is IdentNode { Name: "cel" } && name.Text == "bind")
        {
            if (args.Count != 3)
            {
                throw SourceErrors.Syntax(_source, name.Position, "wrong number of arguments to cel.bind() macro");
            }
            return new LetNode(name.Position, VariableName(args[0], "cel.bind"), args[1], args[2]);
        }
        // Namespaced functions such as strings.quote or sets.contains parse as receiver calls on an identifier.
        if (target is IdentNode ns && FunctionRegistry.Standard.HasName(ns.Name + "." + name.Text))
        {
            return new CallNode(name.Position, ns.Name + "." + name.Text, null, args);
        }
        return new CallNode(name.Position, name.Text, target, args);
    }

    private string VariableName(Node node, string macro) => node is IdentNode ident
        ? ident.Name
        : throw SourceErrors.Syntax(_source, node.Position, $"{macro}() variable name must be a simple identifier");

    private MapNode ParseMap(int position)
    {
        var entries = new List<(Node, Node)>();
        while (!Accept(TokenKind.RBrace))
        {
            if (Current.Kind == TokenKind.Question)
            {
                throw SourceErrors.Unsupported(_source, Current.Position, "optional map entries '{?' are not supported");
            }
            var key = ParseExpr();
            Expect(TokenKind.Colon, "':'");
            entries.Add((key, ParseExpr()));
            if (!Accept(TokenKind.Comma))
            {
                Expect(TokenKind.RBrace, "{',', '}'}");
                break;
            }
        }
        return new MapNode(position, entries);
    }

    private LiteralNode NumberLiteral(Token token, bool negative)
    {
        var text = token.Text;
        try
        {
            switch (token.Kind)
            {
                case TokenKind.Double:
                    var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                    return new LiteralNode(token.Position, negative ? -d : d);
                case TokenKind.Int or TokenKind.Uint:
                    var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
                    var value = hex
                        ? BigInteger.Parse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                        : BigInteger.Parse(text, CultureInfo.InvariantCulture);
                    if (token.Kind == TokenKind.Uint)
                    {
                        return value <= ulong.MaxValue ? new LiteralNode(token.Position, (ulong)value) : throw new OverflowException();
                    }
                    value = negative ? -value : value;
                    return value >= long.MinValue && value <= long.MaxValue ? new LiteralNode(token.Position, (long)value) : throw new OverflowException();
                default:
                    throw Mismatched("a number");
            }
        }
        catch (OverflowException)
        {
            throw SourceErrors.Syntax(_source, token.Position, $"invalid {(token.Kind == TokenKind.Uint ? "uint" : "int")} literal: {text}");
        }
    }
}
