using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Gantry.Server.Registry;
using Xunit;
using static Gantry.Tests.Registry.RegistryTestContext;

namespace Gantry.Tests.Registry;

public sealed class ObjectRegistryCreateTests : IAsyncLifetime
{
    private RegistryTestContext _context = null!;

    public async Task InitializeAsync() => _context = await StartAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Create_assigns_a_uid_and_the_creation_time()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        Assert.True(Guid.TryParse(ObjectMetadata.Uid(created), out _));
        Assert.Equal("2024-05-01T12:00:00Z", created["metadata"]!["creationTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_with_a_generate_name_gets_the_selector_labels_of_the_name_generated()
    {
        var job = new JsonObject
        {
            ["metadata"] = new JsonObject { ["generateName"] = "batch-" },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox" }),
                    },
                },
            },
        };

        var created = await _context.CreateAsync(Gantry.Core.Resources.ResourceCatalog.Get("batch", "jobs"), job);

        Assert.Equal(ObjectMetadata.Name(created), created["spec"]!["template"]!["metadata"]!["labels"]!["job-name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_namespace_with_a_generate_name_is_labelled_with_the_name_generated()
    {
        var created = await _context.CreateAsync(Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["generateName"] = "team-" } });

        Assert.Equal(ObjectMetadata.Name(created), created["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_ignores_a_uid_sent_by_the_client()
    {
        var input = ConfigMap("x");
        input["metadata"]!["uid"] = "11111111-1111-1111-1111-111111111111";

        var created = await _context.CreateAsync(ConfigMaps, input);

        Assert.NotEqual("11111111-1111-1111-1111-111111111111", ObjectMetadata.Uid(created));
    }

    [Fact]
    public async Task Create_sets_the_resourceVersion_to_the_store_revision_of_the_write()
    {
        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        Assert.Equal(_context.Store.Revision.ToString(CultureInfo.InvariantCulture), ResourceVersion(created));
        Assert.Equal(ResourceVersion(created), ResourceVersion(_context.Get(ConfigMaps, "x")!));
    }

    [Fact]
    public async Task Create_of_a_type_with_a_status_subresource_starts_at_generation_1()
    {
        var created = await _context.CreateAsync(Deployments, Deployment("web"));

        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Create_of_a_type_without_a_status_subresource_has_no_generation()
    {
        var input = ConfigMap("x");
        input["metadata"]!["generation"] = 7;

        var created = await _context.CreateAsync(ConfigMaps, input);

        Assert.Null(created["metadata"]!["generation"]);
    }

    [Fact]
    public async Task Create_of_an_existing_name_is_AlreadyExists()
    {
        await _context.CreateAsync(ConfigMaps, ConfigMap("x"));

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.CreateAsync(ConfigMaps, ConfigMap("x")));

        Assert.Equal(409, error.Code);
        Assert.Equal("AlreadyExists", error.Reason);
        Assert.Equal("configmaps \"x\" already exists", error.Message);
    }

    [Fact]
    public async Task Create_in_a_missing_namespace_is_NotFound_for_the_namespace()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _context.Registry.CreateAsync(ConfigMaps, "nope", ConfigMap("x"), new WriteOptions(), _context.Ct));

        Assert.Equal(404, error.Code);
        Assert.Equal("namespaces \"nope\" not found", error.Message);
    }

    [Fact]
    public async Task Create_in_a_terminating_namespace_is_Forbidden()
    {
        await _context.CreateAsync(Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "doomed" } });
        await _context.DeleteAsync(Namespaces, "doomed");

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _context.Registry.CreateAsync(ConfigMaps, "doomed", ConfigMap("x"), new WriteOptions(), _context.Ct));

        Assert.Equal(403, error.Code);
        Assert.Equal(
            "configmaps \"x\" is forbidden: unable to create new content in namespace doomed because it is being terminated",
            error.Message);
    }

    [Fact]
    public async Task Create_with_generateName_appends_a_random_five_character_suffix()
    {
        var input = new JsonObject { ["metadata"] = new JsonObject { ["generateName"] = "web-" } };

        var created = await _context.CreateAsync(ConfigMaps, input);

        Assert.Matches("^web-[bcdfghjklmnpqrstvwxz2456789]{5}$", Name(created));
        Assert.NotNull(_context.Get(ConfigMaps, Name(created)));
    }

    [Fact]
    public async Task An_admission_error_names_a_generated_pod_by_its_generateName()
    {
        var input = Pod("unused");
        input["metadata"] = new JsonObject { ["generateName"] = "gen-" };
        input["spec"]!["priorityClassName"] = "nope";

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.CreateAsync(Pods, input));

        Assert.Equal(403, error.Code);
        Assert.Equal("pods \"gen-\" is forbidden: no PriorityClass with name nope was found", error.Message);
    }

    [Fact]
    public async Task Create_with_an_invalid_name_is_Invalid_on_metadata_name()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() => _context.CreateAsync(ConfigMaps, ConfigMap("Not_Valid")));

        Assert.Equal(422, error.Code);
        Assert.Equal("Invalid", error.Reason);
        var cause = Assert.Single(error.Details!["causes"]!.AsArray());
        Assert.Equal("metadata.name", cause!["field"]!.GetValue<string>());
        Assert.Null(_context.Get(ConfigMaps, "Not_Valid"));
    }

    [Fact]
    public async Task Create_with_an_unknown_field_under_Strict_validation_is_a_BadRequest()
    {
        var input = Deployment("web");
        input["spec"]!["bogus"] = true;

        var error = await Assert.ThrowsAsync<ApiException>(() =>
            _context.CreateAsync(Deployments, input, new WriteOptions(FieldValidation: FieldValidation.Strict)));

        Assert.Equal(400, error.Code);
        Assert.Equal(
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.bogus\"",
            error.Message);
        Assert.Null(_context.Get(Deployments, "web"));
    }

    [Fact]
    public async Task Create_with_an_unknown_field_under_Warn_validation_stores_the_object_and_warns()
    {
        var input = Deployment("web");
        input["spec"]!["bogus"] = true;
        var options = new WriteOptions(FieldValidation: FieldValidation.Warn);

        await _context.CreateAsync(Deployments, input, options);

        Assert.Equal(["unknown field \"spec.bogus\""], options.Warnings);
        var stored = _context.Get(Deployments, "web");
        Assert.NotNull(stored);
        Assert.Null(stored["spec"]!["bogus"]);
    }

    [Fact]
    public async Task Create_with_an_unknown_field_under_Ignore_validation_stores_the_object_silently()
    {
        var input = Deployment("web");
        input["spec"]!["bogus"] = true;
        var options = new WriteOptions(FieldValidation: FieldValidation.Ignore);

        await _context.CreateAsync(Deployments, input, options);

        Assert.Empty(options.Warnings);
        Assert.NotNull(_context.Get(Deployments, "web"));
    }

    [Fact]
    public async Task Create_with_dryRun_returns_the_object_but_stores_nothing()
    {
        var revision = _context.Store.Revision;

        var created = await _context.CreateAsync(ConfigMaps, ConfigMap("x"), new WriteOptions(DryRun: true));

        Assert.Equal("x", Name(created));
        Assert.Null(_context.Get(ConfigMaps, "x"));
        Assert.Equal(revision, _context.Store.Revision);
    }

    [Fact]
    public async Task A_new_pod_is_Pending_with_a_QoS_class()
    {
        var created = await _context.CreateAsync(Pods, Pod("web"));

        Assert.Equal("Pending", created["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("BestEffort", created["status"]!["qosClass"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_pod_whose_containers_limit_cpu_and_memory_is_Guaranteed()
    {
        var input = Pod("web");
        input["spec"]!["containers"]![0]!["resources"] = new JsonObject
        {
            ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "128Mi" },
        };

        var created = await _context.CreateAsync(Pods, input);

        Assert.Equal("Guaranteed", created["status"]!["qosClass"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_with_a_namespace_in_the_body_that_differs_from_the_url_is_a_BadRequest()
    {
        var input = ConfigMap("x");
        input["metadata"]!["namespace"] = "kube-system";

        var error = await Assert.ThrowsAsync<ApiException>(() => _context.CreateAsync(ConfigMaps, input));

        Assert.Equal(400, error.Code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", error.Message);
    }

    [Fact]
    public async Task Create_drops_a_status_sent_for_a_type_with_a_status_subresource()
    {
        var input = Deployment("web");
        input["status"] = new JsonObject { ["replicas"] = 5, ["readyReplicas"] = 5 };

        var created = await _context.CreateAsync(Deployments, input);

        Assert.Null(created["status"]?["replicas"]);
        Assert.Null(_context.Get(Deployments, "web")!["status"]?["readyReplicas"]);
    }

    [Fact]
    public async Task A_new_pod_is_Pending_whatever_phase_the_client_sent()
    {
        var input = Pod("web");
        input["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "10.0.0.9" };

        var created = await _context.CreateAsync(Pods, input);

        Assert.Equal("Pending", created["status"]!["phase"]!.GetValue<string>());
        Assert.Null(created["status"]!["podIP"]);
    }
}
