using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

/// <summary>Rules as they appear in CRD x-kubernetes-validations, evaluated on JSON objects.</summary>
public sealed class KubernetesRuleTests
{
    [Theory]
    [InlineData("""{"minReplicas": 1, "replicas": 3}""", true)]
    [InlineData("""{"minReplicas": 5, "replicas": 3}""", false)]
    public void Min_replicas_must_not_exceed_replicas(string self, bool expected) =>
        Assert.Equal(expected, EvalJson("self.minReplicas <= self.replicas", self));

    [Theory]
    [InlineData("""{"app-a": "x", "app-b": "y"}""", true)]
    [InlineData("""{"app-a": "x", "other": "y"}""", false)]
    public void All_keys_of_a_map_have_a_prefix(string self, bool expected) =>
        Assert.Equal(expected, EvalJson("self.all(k, k.startsWith('app-'))", self));

    [Theory]
    [InlineData("""{}""", true)]
    [InlineData("""{"foo": "short"}""", true)]
    [InlineData("""{"foo": "much too long"}""", false)]
    public void Optional_field_bounded_when_present(string self, bool expected) =>
        Assert.Equal(expected, EvalJson("!has(self.foo) || self.foo.size() < 10", self));

    [Theory]
    [InlineData("""{"name": "web"}""", true)]
    [InlineData("""{"name": "Web-1"}""", false)]
    public void Name_matches_a_pattern(string self, bool expected) =>
        Assert.Equal(expected, EvalJson("self.name.matches('^[a-z]+$')", self));

    [Theory]
    [InlineData("""{"a": [1, 2]}""", """{"a": [1, 2]}""", true)]
    [InlineData("""{"a": [1, 2]}""", """{"a": [2, 1]}""", false)]
    public void Transition_rule_keeps_the_field_immutable(string self, string oldSelf, bool expected) =>
        Assert.Equal(expected, EvalJson("oldSelf == self", self, oldSelf));

    [Theory]
    [InlineData("""[{"matches": [{"path": {"type": "PathPrefix", "value": "/api"}}, {"headers": []}]}]""", true)]
    [InlineData("""[{"matches": [{"path": {"type": "Exact", "value": "api"}}]}]""", true)]
    [InlineData("""[{"matches": [{"path": {"type": "PathPrefix", "value": "api"}}]}]""", false)]
    public void Gateway_path_prefixes_start_with_a_slash(string self, bool expected) =>
        Assert.Equal(expected, EvalJson(
            "self.all(r, r.matches.all(m, !has(m.path) || m.path.type != 'PathPrefix' || m.path.value.startsWith('/')))", self));

    [Fact]
    public void Missing_required_field_is_a_runtime_error() =>
        Assert.Throws<Gantry.Core.Cel.CelEvaluationException>(() => EvalJson("self.replicas > 0", "{}"));

    [Fact]
    public void Unique_names_in_a_list() =>
        Assert.Equal(false, EvalJson("self.all(x, self.exists_one(y, y.name == x.name))", """[{"name": "a"}, {"name": "a"}]"""));

    [Fact]
    public void Match_condition_on_an_admission_request() =>
        Assert.Equal(true, Eval("request.userInfo.username.startsWith('system:') && !('system:masters' in request.userInfo.groups)",
            ("request", Gantry.Core.Cel.CelValues.FromJson(System.Text.Json.Nodes.JsonNode.Parse(
                """{"userInfo": {"username": "system:serviceaccount:x", "groups": ["system:authenticated"]}}""")))));
}
