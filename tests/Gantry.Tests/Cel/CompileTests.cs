using Gantry.Core.Cel;
using Xunit;

namespace Gantry.Tests.Cel;

public sealed class CompileTests
{
    private static readonly string[] Self = ["self"];

    [Theory]
    [InlineData("1 +")]
    [InlineData("(1")]
    [InlineData("[1, 2")]
    [InlineData("a.")]
    [InlineData("1 2")]
    [InlineData("'unterminated")]
    [InlineData("{1: }")]
    [InlineData("f(,)")]
    [InlineData("1 # 2")]
    public void Syntax_errors_throw_compile_exceptions(string expression) =>
        Assert.Throws<CelCompileException>(() => CelProgram.Compile(expression, Self));

    [Fact]
    public void Syntax_error_message_looks_like_cel_go()
    {
        var e = Assert.Throws<CelCompileException>(() => CelProgram.Compile("self.a +\n  )", Self));
        Assert.StartsWith("ERROR: <input>:2:3: Syntax error:", e.Message);
    }

    [Theory]
    [InlineData("if")]
    [InlineData("self.all(var, true)")]
    [InlineData("namespace == 1")]
    public void Reserved_words_as_identifiers_are_compile_errors(string expression) =>
        Assert.Throws<CelCompileException>(() => CelProgram.Compile(expression, Self));

    [Fact]
    public void Undeclared_variable_is_a_compile_error()
    {
        var e = Assert.Throws<CelCompileException>(() => CelProgram.Compile("self.a == other", Self));
        Assert.Contains("undeclared reference to 'other'", e.Message);
    }

    [Fact]
    public void Selecting_an_undeclared_field_of_a_variable_whose_fields_are_declared_is_a_compile_error()
    {
        var environment = new CelEnvironment(["variables"], new Dictionary<string, IReadOnlyCollection<string>> { ["variables"] = ["limit"] });

        var e = Assert.Throws<CelCompileException>(() => CelProgram.Compile("variables.limit > 0 && variables.other", environment));

        Assert.Contains("undefined field 'other'", e.Message);
    }

    [Fact]
    public void A_macro_variable_of_the_same_name_hides_the_declared_fields()
    {
        var environment = new CelEnvironment(["variables", "self"], new Dictionary<string, IReadOnlyCollection<string>> { ["variables"] = [] });

        CelProgram.Compile("self.all(variables, variables.any)", environment);
    }

    [Fact]
    public void Macro_variable_is_not_visible_outside_its_macro() =>
        Assert.Throws<CelCompileException>(() => CelProgram.Compile("self.all(x, true) && x", Self));

    [Theory]
    [InlineData("quantity(self).isGreaterThan(quantity('1'))")]
    [InlineData("isQuantity(self)")]
    [InlineData("ip(self).family() == 4")]
    [InlineData("cidr(self).containsIP('10.0.0.1')")]
    [InlineData("authorizer.group('apps').check('get').allowed()")]
    [InlineData("self.format(['a'])")]
    [InlineData("optional.of(1)")]
    [InlineData("self.?a")]
    [InlineData("self[?'a']")]
    [InlineData("[?self]")]
    [InlineData("math.greatest(1, 2)")]
    [InlineData("self.all(k, v, true)")]
    [InlineData("google.protobuf.Int64Value{value: 1}")]
    public void Features_this_engine_lacks_are_unsupported(string expression) =>
        Assert.Throws<CelUnsupportedException>(() => CelProgram.Compile(expression, Self));

    [Fact]
    public void Wrong_arity_of_a_known_function_is_a_compile_error() =>
        Assert.Throws<CelCompileException>(() => CelProgram.Compile("size(self, self)", Self));

    [Fact]
    public void Has_requires_a_field_selection() =>
        Assert.Throws<CelCompileException>(() => CelProgram.Compile("has(self)", Self));

    [Fact]
    public void Referenced_variables_list_only_declared_ones_used()
    {
        var program = CelProgram.Compile("self.all(x, x > 0) && self == oldSelf", ["self", "oldSelf", "unused"]);
        Assert.Equal(new HashSet<string> { "self", "oldSelf" }, program.ReferencedVariables);
    }

    [Fact]
    public void Declared_variable_missing_at_evaluation_is_an_error()
    {
        var program = CelProgram.Compile("self", Self);
        Assert.Throws<CelEvaluationException>(() => program.Evaluate(new Dictionary<string, object?>()));
    }

    [Fact]
    public void Deep_nesting_is_a_compile_error_not_a_crash() =>
        Assert.Throws<CelCompileException>(() => CelProgram.Compile(new string('(', 5000) + "1" + new string(')', 5000), Self));

    [Fact]
    public void Long_operator_chains_are_bounded() =>
        Assert.Throws<CelCompileException>(() => CelProgram.Compile(string.Join(" + ", Enumerable.Repeat("1", 5000)), Self));
}
