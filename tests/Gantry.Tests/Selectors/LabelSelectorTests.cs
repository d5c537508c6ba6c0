using Gantry.Core.Selectors;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void Equality_matches_only_the_given_value()
    {
        var selector = LabelSelector.Parse("app=web");

        Assert.True(selector.Matches(Labels("app=web", "tier=front")));
        Assert.False(selector.Matches(Labels("app=db")));
        Assert.False(selector.Matches(Labels("tier=front")));
    }

    [Fact]
    public void Double_equals_means_the_same_as_equals()
    {
        var selector = LabelSelector.Parse("app==web");

        Assert.True(selector.Matches(Labels("app=web")));
        Assert.Equal(SelectorOperator.DoubleEquals, selector.Requirements.Single().Operator);
    }

    [Fact]
    public void Not_equals_also_matches_objects_without_the_key()
    {
        var selector = LabelSelector.Parse("app!=web");

        Assert.True(selector.Matches(Labels("tier=front")));
        Assert.True(selector.Matches(Labels("app=db")));
        Assert.False(selector.Matches(Labels("app=web")));
    }

    [Fact]
    public void In_matches_any_listed_value_and_tolerates_whitespace()
    {
        var selector = LabelSelector.Parse("  env in ( prod , qa ) ");

        Assert.True(selector.Matches(Labels("env=qa")));
        Assert.True(selector.Matches(Labels("env=prod")));
        Assert.False(selector.Matches(Labels("env=dev")));
        Assert.False(selector.Matches(Labels()));
    }

    [Fact]
    public void Notin_matches_other_values_and_missing_keys()
    {
        var selector = LabelSelector.Parse("tier notin (front)");

        Assert.True(selector.Matches(Labels("tier=back")));
        Assert.True(selector.Matches(Labels()));
        Assert.False(selector.Matches(Labels("tier=front")));
    }

    [Fact]
    public void Bare_key_requires_the_label_and_bang_key_forbids_it()
    {
        var exists = LabelSelector.Parse("partition");
        var doesNotExist = LabelSelector.Parse("!partition");

        Assert.True(exists.Matches(Labels("partition=a")));
        Assert.False(exists.Matches(Labels()));
        Assert.True(doesNotExist.Matches(Labels()));
        Assert.False(doesNotExist.Matches(Labels("partition=a")));
    }

    [Fact]
    public void Comma_separated_requirements_must_all_hold()
    {
        var selector = LabelSelector.Parse("app=web,env in (prod),!canary");

        Assert.True(selector.Matches(Labels("app=web", "env=prod")));
        Assert.False(selector.Matches(Labels("app=web", "env=prod", "canary=true")));
        Assert.False(selector.Matches(Labels("app=web", "env=qa")));
    }

    [Fact]
    public void Greater_than_compares_label_values_as_integers()
    {
        var selector = LabelSelector.Parse("replicas>2");

        Assert.True(selector.Matches(Labels("replicas=3")));
        Assert.False(selector.Matches(Labels("replicas=2")));
        Assert.False(selector.Matches(Labels("replicas=many")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_text_is_the_empty_selector_that_matches_everything(string? text)
    {
        var selector = LabelSelector.Parse(text);

        Assert.True(selector.IsEmpty);
        Assert.True(selector.Matches(Labels("any=thing")));
        Assert.True(selector.Matches((IReadOnlyDictionary<string, string>?)null));
    }

    [Fact]
    public void Empty_in_parentheses_means_the_empty_value()
    {
        var selector = LabelSelector.Parse("env in ()");

        Assert.True(selector.Matches(Labels("env=")));
        Assert.False(selector.Matches(Labels("env=prod")));
    }

    [Fact]
    public void In_and_notin_are_ordinary_words_where_values_are_expected()
    {
        var selector = LabelSelector.Parse("mode in (in,notin)");

        Assert.True(selector.Matches(Labels("mode=notin")));
    }

    [Fact]
    public void ToString_is_the_canonical_form_sorted_by_key_with_sorted_values()
    {
        var selector = LabelSelector.Parse("tier in (b, a),app = web,!canary");

        Assert.Equal("app=web,!canary,tier in (a,b)", selector.ToString());
    }

    [Theory]
    [InlineData("!(", "unable to parse requirement: found '(', expected: identifier")]
    [InlineData("app=web,", "found '', expected: identifier after ','")]
    [InlineData("app=web x", "found 'x', expected: ',' or 'end of string'")]
    [InlineData(",app", "found ',', expected: !, identifier, or 'end of string'")]
    [InlineData("env in prod", "unable to parse requirement: found 'prod' expected: '('")]
    [InlineData("app web", "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("env in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'")]
    [InlineData("app=(", "unable to parse requirement: found '(', expected: identifier")]
    [InlineData("n>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer")]
    public void Invalid_syntax_is_rejected_with_the_apiserver_message(string text, string message)
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse(text));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Invalid_value_is_rejected_with_the_label_value_rule()
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("a=b_"));

        Assert.Equal(
            "unable to parse requirement: values[0][a]: Invalid value: \"b_\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            error.Message);
    }

    [Fact]
    public void Invalid_key_is_reported_at_the_root_path_as_go_prints_it()
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("-app=web"));

        Assert.StartsWith("unable to parse requirement: <nil>: Invalid value: \"-app\": name part must consist of", error.Message);
    }

    [Fact]
    public void Model_selector_combines_match_labels_and_expressions()
    {
        var selector = LabelSelector.FromModel(new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "In", Values = ["prod", "qa"] },
                new V1LabelSelectorRequirement { Key = "canary", OperatorProperty = "DoesNotExist" },
            ],
        });

        Assert.True(selector.Matches(Labels("app=web", "env=qa")));
        Assert.False(selector.Matches(Labels("app=web", "env=qa", "canary=1")));
        Assert.Equal("app=web,!canary,env in (prod,qa)", selector.ToString());
    }

    [Fact]
    public void Null_model_selector_matches_nothing_and_empty_one_everything()
    {
        Assert.False(LabelSelector.FromModel(null).Matches(Labels("app=web")));
        Assert.True(LabelSelector.FromModel(new V1LabelSelector()).Matches(Labels("app=web")));
    }

    [Fact]
    public void Model_selector_with_unknown_operator_is_rejected()
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.FromModel(new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "a", OperatorProperty = "Gt", Values = ["1"] }],
        }));

        Assert.Equal("\"Gt\" is not a valid label selector operator", error.Message);
    }

    [Fact]
    public void Model_selector_with_an_empty_in_set_is_rejected()
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.FromModel(new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "a", OperatorProperty = "In", Values = [] }],
        }));

        Assert.Equal("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty", error.Message);
    }

    [Fact]
    public void Selector_from_a_map_matches_every_pair()
    {
        var selector = LabelSelector.FromSet(new Dictionary<string, string> { ["tier"] = "front", ["app"] = "web" });

        Assert.True(selector.Matches(Labels("app=web", "tier=front", "x=y")));
        Assert.False(selector.Matches(Labels("app=web")));
        Assert.Equal("app=web,tier=front", selector.ToString());
    }

    [Fact]
    public void Selector_matches_object_metadata()
    {
        var metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } };

        Assert.True(LabelSelector.Parse("app").Matches(metadata));
        Assert.False(LabelSelector.Parse("app").Matches(new V1ObjectMeta()));
    }

    [Fact]
    public void Exact_match_is_reported_for_a_pinned_key_only()
    {
        var selector = LabelSelector.Parse("app=web,env in (a,b)");

        Assert.True(selector.TryGetExactMatch("app", out var app));
        Assert.Equal("web", app);
        Assert.False(selector.TryGetExactMatch("env", out _));
    }
}
