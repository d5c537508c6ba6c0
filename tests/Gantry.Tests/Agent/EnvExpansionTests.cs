using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Agent;

/// <summary>Cases from Kubernetes' third_party/forked/golang/expansion tests, which the kubelet's behaviour rests on.</summary>
public sealed class EnvExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new()
    {
        ["VAR_A"] = "A",
        ["VAR_B"] = "B",
        ["VAR_EMPTY"] = "",
        ["VAR_REF"] = "$(VAR_A)",
    };

    private static string Expand(string input) => EnvExpansion.Expand(input, name => Vars.GetValueOrDefault(name));

    [Theory]
    [InlineData("$(VAR_A)", "A")]
    [InlineData("___$(VAR_B)___", "___B___")]
    [InlineData("$(VAR_A)-$(VAR_B)", "A-B")]
    [InlineData("x$(VAR_EMPTY)y", "xy")]
    public void A_defined_reference_is_replaced_by_its_value(string input, string expected)
    {
        Assert.Equal(expected, Expand(input));
    }

    [Theory]
    [InlineData("$(VAR_DNE)")]
    [InlineData("foo-$(VAR_DNE)-bar")]
    [InlineData("$()")]
    public void An_undefined_reference_stays_as_written(string input)
    {
        Assert.Equal(input, Expand(input));
    }

    [Theory]
    [InlineData("$$(VAR_A)", "$(VAR_A)")]
    [InlineData("$$$(VAR_A)", "$A")]
    [InlineData("$$$$(VAR_A)", "$$(VAR_A)")]
    [InlineData("f$$oo", "f$oo")]
    public void A_doubled_dollar_is_one_literal_dollar(string input, string expected)
    {
        Assert.Equal(expected, Expand(input));
    }

    [Theory]
    [InlineData("$VAR_A", "$VAR_A")]
    [InlineData("foo$", "foo$")]
    [InlineData("$", "$")]
    [InlineData("${VAR_A}", "${VAR_A}")]
    public void A_dollar_before_anything_else_stays(string input, string expected)
    {
        Assert.Equal(expected, Expand(input));
    }

    [Theory]
    [InlineData("$(VAR_A", "$(VAR_A")]
    [InlineData("foo$(", "foo$(")]
    [InlineData("$(VAR_B)$(VAR_A", "B$(VAR_A")]
    public void An_unclosed_reference_stays_literal(string input, string expected)
    {
        Assert.Equal(expected, Expand(input));
    }

    [Fact]
    public void A_value_is_not_expanded_again()
    {
        Assert.Equal("$(VAR_A)", Expand("$(VAR_REF)"));
    }

    [Fact]
    public void A_reference_ends_at_the_first_closing_parenthesis()
    {
        Assert.Equal("$(VAR_A$(VAR_B)", Expand("$(VAR_A$(VAR_B)"));
        Assert.Equal("A)", Expand("$(VAR_A))"));
    }

    [Fact]
    public void Command_and_args_see_the_final_environment_where_a_later_variable_wins()
    {
        var env = new[] { new EnvVar("GREETING", "hello"), new EnvVar("NAME", "first"), new EnvVar("NAME", "last") };

        Assert.Equal(["echo", "hello last", "$(MISSING)", "$(NAME)"], EnvExpansion.ExpandAll(["echo", "$(GREETING) $(NAME)", "$(MISSING)", "$$(NAME)"], env));
        Assert.Empty(EnvExpansion.ExpandAll(null, env));
    }
}
