using System.Text.Json.Nodes;
using Gantry.Server.Marathon;
using Xunit;

namespace Gantry.Tests.Marathon;

public sealed class AppDefinitionTests
{
    private static JsonObject Normalize(string json, string id = "/app") => AppDefinition.Normalize(JsonNode.Parse(json)!.AsObject(), id);

    private static MarathonException Refusal(string json, string id = "/app") => Assert.Throws<MarathonException>(() => Normalize(json, id));

    /// <summary>The errors reported for <paramref name="path"/>, which must be reported exactly once.</summary>
    private static string[] Errors(MarathonException refusal, string path) =>
        [.. refusal.Body["details"]!.AsArray().Single(d => d!["path"]!.GetValue<string>() == path)!["errors"]!.AsArray().Select(e => e!.GetValue<string>())];

    private static string[] Paths(MarathonException refusal) =>
        [.. refusal.Body["details"]!.AsArray().Select(d => d!["path"]!.GetValue<string>())];

    [Fact]
    public void Resources_default_to_one_cpu_128_MB_and_nothing_else()
    {
        var app = Normalize("""{"cmd":"sleep 1"}""");

        Assert.Equal((1.0, 128.0, 0.0, 0), (app["cpus"]!.GetValue<double>(), app["mem"]!.GetValue<double>(), app["disk"]!.GetValue<double>(), app["gpus"]!.GetValue<int>()));
    }

    [Fact]
    public void One_instance_is_the_default()
    {
        Assert.Equal(1, Normalize("""{"cmd":"sleep 1"}""")["instances"]!.GetValue<int>());
    }

    [Fact]
    public void The_launch_backoff_defaults_to_Marathons()
    {
        var app = Normalize("""{"cmd":"sleep 1"}""");

        Assert.Equal(
            (1.0, 1.15, 300.0),
            (app["backoffSeconds"]!.GetValue<double>(), app["backoffFactor"]!.GetValue<double>(), app["maxLaunchDelaySeconds"]!.GetValue<double>()));
    }

    [Fact]
    public void The_upgrade_strategy_defaults_to_full_health_and_full_over_capacity()
    {
        var strategy = Normalize("""{"cmd":"sleep 1"}""")["upgradeStrategy"]!;

        Assert.Equal((1.0, 1.0), (strategy["minimumHealthCapacity"]!.GetValue<double>(), strategy["maximumOverCapacity"]!.GetValue<double>()));
    }

    [Fact]
    public void Env_labels_and_constraints_default_to_empty()
    {
        var app = Normalize("""{"cmd":"sleep 1"}""");

        Assert.Equal((0, 0, 0), (app["env"]!.AsObject().Count, app["labels"]!.AsObject().Count, app["constraints"]!.AsArray().Count));
    }

    [Fact]
    public void One_port_definition_asking_for_any_port_is_the_default()
    {
        var ports = Normalize("""{"cmd":"sleep 1"}""")["portDefinitions"]!.AsArray();

        Assert.Equal(0, Assert.Single(ports)!["port"]!.GetValue<int>());
    }

    [Fact]
    public void Tasks_are_killed_youngest_first_after_Mesos_three_second_grace_by_default()
    {
        var app = Normalize("""{"cmd":"sleep 1"}""");

        Assert.Equal((3.0, "YOUNGEST_FIRST"), (app["taskKillGracePeriodSeconds"]!.GetValue<double>(), app["killSelection"]!.GetValue<string>()));
    }

    [Fact]
    public void Read_only_fields_copied_back_from_a_GET_are_dropped()
    {
        var app = Normalize("""{"cmd":"sleep 1","version":"2024-01-01T00:00:00.000Z","tasksRunning":2,"deployments":[{"id":"d"}]}""");

        Assert.False(app.ContainsKey("version") || app.ContainsKey("tasksRunning") || app.ContainsKey("deployments"));
    }

    [Fact]
    public void A_refusal_is_Marathons_422_object_is_not_valid()
    {
        var refusal = Refusal("""{"cmd":"sleep 1","cpus":-1}""");

        Assert.Equal((422, "Object is not valid"), (refusal.Status, refusal.Body["message"]!.GetValue<string>()));
    }

    [Fact]
    public void Negative_cpus_are_refused_with_the_bound()
    {
        Assert.Equal(["got -1.0, expected 0.0 or more"], Errors(Refusal("""{"cmd":"sleep 1","cpus":-1}"""), "/cpus"));
    }

    [Fact]
    public void Negative_instances_are_refused_with_the_bound_as_a_whole_number()
    {
        Assert.Equal(["got -1, expected 0 or more"], Errors(Refusal("""{"cmd":"sleep 1","instances":-1}"""), "/instances"));
    }

    [Fact]
    public void Fractional_instances_are_refused_as_not_an_int()
    {
        Assert.Equal(["error.expected.int"], Errors(Refusal("""{"cmd":"sleep 1","instances":1.5}"""), "/instances"));
    }

    [Fact]
    public void Cpus_given_as_a_string_are_refused_as_not_a_number()
    {
        Assert.Equal(["error.expected.jsnumber"], Errors(Refusal("""{"cmd":"sleep 1","cpus":"x"}"""), "/cpus"));
    }

    [Fact]
    public void An_invalid_id_is_refused_at_the_id()
    {
        Assert.StartsWith("must fully match regular expression", Errors(Refusal("""{"cmd":"sleep 1"}""", "/Bad_Id"), "/id").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_app_with_neither_cmd_nor_args_nor_container_is_refused_at_the_root()
    {
        Assert.Equal(
            ["AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."],
            Errors(Refusal("""{"cpus":1}"""), "/"));
    }

    [Fact]
    public void An_app_with_both_cmd_and_args_is_refused_at_the_root()
    {
        Assert.Equal(
            ["AppDefinition must either contain a 'cmd' or a 'args', but not both."],
            Errors(Refusal("""{"cmd":"sleep 1","args":["sleep","1"]}"""), "/"));
    }

    [Fact]
    public void A_secret_reference_in_env_is_refused_at_the_variable()
    {
        var refusal = Refusal("""{"cmd":"sleep 1","env":{"PASSWORD":{"secret":"db"}}}""");

        Assert.Single(Errors(refusal, "/env/PASSWORD"));
    }

    [Fact]
    public void Uris_to_fetch_are_refused()
    {
        Assert.Single(Errors(Refusal("""{"cmd":"sleep 1","uris":["http://example.com/a.tgz"]}"""), "/uris"));
    }

    [Fact]
    public void An_empty_uris_list_is_accepted()
    {
        Assert.Empty(Normalize("""{"cmd":"sleep 1","uris":[]}""")["uris"]!.AsArray());
    }

    [Fact]
    public void The_LIKE_constraint_operator_is_refused()
    {
        Assert.Single(Errors(Refusal("""{"cmd":"sleep 1","constraints":[["hostname","LIKE","n.*"]]}"""), "/constraints(0)"));
    }

    [Fact]
    public void UNIQUE_on_a_field_other_than_hostname_is_refused()
    {
        Assert.Equal(
            ["Gantry supports UNIQUE on the field hostname only"],
            Errors(Refusal("""{"cmd":"sleep 1","constraints":[["rack","UNIQUE"]]}"""), "/constraints(0)"));
    }

    [Fact]
    public void CLUSTER_without_a_value_is_refused()
    {
        Assert.Equal(["CLUSTER requires a value"], Errors(Refusal("""{"cmd":"sleep 1","constraints":[["rack","CLUSTER"]]}"""), "/constraints(0)"));
    }

    [Fact]
    public void UNIQUE_hostname_and_CLUSTER_with_a_value_are_kept()
    {
        var constraints = Normalize("""{"cmd":"sleep 1","constraints":[["hostname","UNIQUE"],["rack","CLUSTER","r1"]]}""")["constraints"]!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[["hostname","UNIQUE"],["rack","CLUSTER","r1"]]"""), constraints));
    }

    [Fact]
    public void A_minimum_health_capacity_above_1_is_refused()
    {
        var refusal = Refusal("""{"cmd":"sleep 1","upgradeStrategy":{"minimumHealthCapacity":2}}""");

        Assert.Equal(["got 2.0, expected between 0.0 and 1.0"], Errors(refusal, "/upgradeStrategy/minimumHealthCapacity"));
    }

    [Fact]
    public void Full_health_capacity_without_over_capacity_is_accepted()
    {
        // Marathon accepts it and replaces the tasks one at a time, killing first.
        var strategy = Normalize("""{"cmd":"sleep 1","upgradeStrategy":{"minimumHealthCapacity":1,"maximumOverCapacity":0}}""")["upgradeStrategy"]!;

        Assert.Equal((1.0, 0.0), (strategy["minimumHealthCapacity"]!.GetValue<double>(), strategy["maximumOverCapacity"]!.GetValue<double>()));
    }

    [Fact]
    public void A_COMMAND_health_check_without_a_command_is_refused()
    {
        Assert.Single(Errors(Refusal("""{"cmd":"sleep 1","healthChecks":[{"protocol":"COMMAND"}]}"""), "/healthChecks(0)/command"));
    }

    [Fact]
    public void An_HTTP_health_check_on_a_port_index_the_app_lacks_is_refused()
    {
        var refusal = Refusal("""{"cmd":"sleep 1","portDefinitions":[{"port":0}],"healthChecks":[{"protocol":"HTTP","portIndex":1}]}""");

        Assert.Single(Errors(refusal, "/healthChecks(0)/portIndex"));
    }

    [Fact]
    public void A_health_check_gets_Marathons_defaults()
    {
        var check = Normalize("""{"cmd":"sleep 1","healthChecks":[{"protocol":"HTTP"}]}""")["healthChecks"]![0]!;

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"gracePeriodSeconds":300,"intervalSeconds":60,"timeoutSeconds":20,"maxConsecutiveFailures":3,"delaySeconds":15,
                 "protocol":"HTTP","portIndex":0,"path":"/","ignoreHttp1xx":false}
                """),
            check));
    }

    [Fact]
    public void Every_violation_is_reported_together()
    {
        var refusal = Refusal("""{"cmd":"sleep 1","cpus":-1,"mem":"lots","instances":1.5,"uris":["http://example.com/a"]}""");

        Assert.Equal(["/cpus", "/instances", "/mem", "/uris"], Paths(refusal).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Two_violations_of_one_path_share_its_entry()
    {
        var refusal = Refusal("""{"cmd":"sleep 1","portDefinitions":[{"port":"a"},{"port":"b"}]}""");

        Assert.Equal(2, Errors(refusal, "/portDefinitions").Length);
    }

    [Fact]
    public void A_docker_container_alone_is_a_valid_app()
    {
        var container = Normalize("""{"container":{"type":"DOCKER","docker":{"image":"nginx:1.27"}}}""")["container"]!;

        Assert.Equal("nginx:1.27", container["docker"]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void A_container_with_port_mappings_has_no_port_definitions()
    {
        var app = Normalize("""{"container":{"docker":{"image":"nginx:1.27"},"portMappings":[{"containerPort":80}]}}""");

        Assert.Equal((0, 1), (app["portDefinitions"]!.AsArray().Count, AppDefinition.PortCount(app)));
    }

    [Fact]
    public void Normalizing_a_normalized_definition_changes_nothing()
    {
        var once = Normalize("""
            {"cmd":"python3 -m http.server $PORT0","cpus":0.25,"mem":64,"instances":2,"env":{"A":"1"},"labels":{"team":"x"},
             "constraints":[["hostname","UNIQUE"]],"portDefinitions":[{"port":0,"name":"http"}],
             "healthChecks":[{"protocol":"HTTP","path":"/health"},{"protocol":"COMMAND","command":{"value":"true"}}],
             "upgradeStrategy":{"minimumHealthCapacity":0.5,"maximumOverCapacity":0.25},"killSelection":"OLDEST_FIRST"}
            """);

        var twice = AppDefinition.Normalize(once, "/app");

        Assert.True(JsonNode.DeepEquals(once, twice), $"{once.ToJsonString()}\n{twice.ToJsonString()}");
    }

    [Fact]
    public void Normalizing_a_stored_definition_read_back_changes_nothing()
    {
        // The definition is kept as JSON text in an annotation: what comes back is parsed, not the objects Normalize made.
        var once = Normalize("""{"container":{"docker":{"image":"nginx:1.27","portMappings":[{"containerPort":80,"hostPort":0}]}},"cpus":0.5}""");

        var twice = AppDefinition.Normalize(JsonNode.Parse(once.ToJsonString())!.AsObject(), "/app");

        Assert.True(JsonNode.DeepEquals(once, twice), $"{once.ToJsonString()}\n{twice.ToJsonString()}");
    }
}
