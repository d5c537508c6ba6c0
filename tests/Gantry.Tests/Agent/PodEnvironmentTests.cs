using System.Text;
using Gantry.Agent.Pods;
using Gantry.Agent.Runtimes;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Agent;

public sealed class PodEnvironmentTests
{
    private static readonly Dictionary<string, ResourceQuantity> Allocatable = new() { ["cpu"] = new("4"), ["memory"] = new("8Gi") };

    private static readonly V1Service Master = new()
    {
        Metadata = new V1ObjectMeta { Name = "kubernetes", NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { ClusterIP = "10.96.0.1", Ports = [new V1ServicePort { Name = "https", Port = 443 }] },
    };

    private readonly Dictionary<string, V1ConfigMap> _fakeConfigMaps = new()
    {
        ["settings"] = new V1ConfigMap { Data = new Dictionary<string, string> { ["MODE"] = "fast", ["LEVEL"] = "3" } },
    };

    private readonly Dictionary<string, V1Secret> _fakeSecrets = new()
    {
        ["creds"] = new V1Secret { Data = new Dictionary<string, byte[]> { ["PASSWORD"] = Encoding.UTF8.GetBytes("s3cret") } },
    };

    private readonly List<V1Service> _knownServices = [Master];

    private int _reads;

    /// <summary>An environment over in-memory config maps, secrets and services, as the API server and the proxy's cache would give them.</summary>
    private PodEnvironment Environment() => new(
        (_, name, _) => { _reads++; return Task.FromResult(_fakeConfigMaps.GetValueOrDefault(name)); },
        (_, name, _) => { _reads++; return Task.FromResult(_fakeSecrets.GetValueOrDefault(name)); },
        Allocatable,
        () => _knownServices);

    private static V1Pod Pod(V1Container container, bool? enableServiceLinks = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team", Uid = "u-1" },
        Spec = new V1PodSpec { Containers = [container], EnableServiceLinks = enableServiceLinks },
    };

    private static V1EnvVar Literal(string name, string value) => new() { Name = name, Value = value };

    private static V1EnvVar From(string name, V1EnvVarSource source) => new() { Name = name, ValueFrom = source };

    private async Task<List<EnvVar>> ResolveAsync(V1Container container, bool? enableServiceLinks = null) =>
        await Environment().ResolveAsync(Pod(container, enableServiceLinks), container, "10.244.0.5", "192.0.2.10", CancellationToken.None);

    private async Task<Dictionary<string, string>> OwnVariablesAsync(V1Container container)
    {
        _knownServices.Clear();
        return (await ResolveAsync(container)).ToDictionary(v => v.Name, v => v.Value);
    }

    [Fact]
    public async Task A_value_sees_the_variables_defined_before_it_but_not_after()
    {
        var env = await OwnVariablesAsync(new V1Container
        {
            Name = "app",
            Env = [Literal("A", "a"), Literal("B", "$(A)-$(C)"), Literal("C", "c")],
        });

        Assert.Equal("a-$(C)", env["B"]);
    }

    [Fact]
    public async Task A_value_sees_envFrom_variables_and_a_later_definition_replaces_an_earlier_one()
    {
        var env = await ResolveAsync(new V1Container
        {
            Name = "app",
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" }, Prefix = "CFG_" }],
            Env = [Literal("SUMMARY", "$(CFG_MODE)/$(CFG_LEVEL)"), Literal("CFG_MODE", "slow"), Literal("AFTER", "$(CFG_MODE)")],
        });
        var own = env.SkipWhile(v => v.Name.StartsWith("KUBERNETES_", StringComparison.Ordinal)).Select(v => $"{v.Name}={v.Value}");

        Assert.Equal(["CFG_MODE=slow", "CFG_LEVEL=3", "SUMMARY=fast/3", "AFTER=slow"], own);
    }

    [Fact]
    public async Task A_value_may_reference_a_service_variable()
    {
        var env = await ResolveAsync(new V1Container { Name = "app", Env = [Literal("API", "https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)")] });

        Assert.Contains(new EnvVar("API", "https://10.96.0.1:443"), env);
    }

    [Fact]
    public async Task What_a_source_gives_is_not_expanded()
    {
        _fakeConfigMaps["raw"] = new V1ConfigMap { Data = new Dictionary<string, string> { ["V"] = "$(A)" } };

        var env = await OwnVariablesAsync(new V1Container
        {
            Name = "app",
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "raw" } }],
            Env = [Literal("A", "a"), From("FROM_KEY", new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "raw", Key = "V" } })],
        });

        Assert.Equal("$(A)", env["V"]);
        Assert.Equal("$(A)", env["FROM_KEY"]);
    }

    [Fact]
    public async Task Service_variables_come_first_and_the_containers_own_override_them()
    {
        var env = await ResolveAsync(new V1Container { Name = "app", Env = [Literal("KUBERNETES_SERVICE_PORT", "6443")] });

        Assert.Equal("KUBERNETES_SERVICE_HOST", env[0].Name);
        Assert.Equal(new EnvVar("KUBERNETES_SERVICE_PORT", "6443"), env[^1]);
        Assert.Single(env, v => v.Name == "KUBERNETES_SERVICE_PORT");
    }

    [Fact]
    public async Task With_service_links_off_a_pod_still_gets_the_master_service_but_not_its_neighbours()
    {
        _knownServices.Add(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "team" },
            Spec = new V1ServiceSpec { ClusterIP = "10.96.0.9", Ports = [new V1ServicePort { Port = 80 }] },
        });

        var linked = await ResolveAsync(new V1Container { Name = "app" });
        var unlinked = await ResolveAsync(new V1Container { Name = "app" }, enableServiceLinks: false);

        Assert.Contains(new EnvVar("WEB_SERVICE_HOST", "10.96.0.9"), linked);
        Assert.DoesNotContain(unlinked, v => v.Name.StartsWith("WEB_", StringComparison.Ordinal));
        Assert.Contains(new EnvVar("KUBERNETES_SERVICE_HOST", "10.96.0.1"), unlinked);
    }

    [Fact]
    public async Task Optional_keys_and_objects_that_are_missing_set_no_variable()
    {
        var env = await OwnVariablesAsync(new V1Container
        {
            Name = "app",
            EnvFrom =
            [
                new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "absent", Optional = true } },
                new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "absent", Optional = true } },
            ],
            Env =
            [
                From("NO_MAP", new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "absent", Key = "K", Optional = true } }),
                From("NO_MAP_KEY", new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "K", Optional = true } }),
                From("NO_SECRET", new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "absent", Key = "K", Optional = true } }),
                From("NO_SECRET_KEY", new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "creds", Key = "K", Optional = true } }),
                From("PASSWORD", new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "creds", Key = "PASSWORD", Optional = true } }),
            ],
        });

        Assert.Equal(["PASSWORD"], env.Keys);
        Assert.Equal("s3cret", env["PASSWORD"]);
    }

    [Fact]
    public async Task An_optional_variable_that_is_missing_leaves_an_earlier_one_of_its_name_in_place()
    {
        var env = await OwnVariablesAsync(new V1Container
        {
            Name = "app",
            Env = [Literal("K", "kept"), From("K", new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "absent", Key = "K", Optional = true } })],
        });

        Assert.Equal("kept", env["K"]);
    }

    public static TheoryData<V1EnvFromSource?, V1EnvVarSource?, string> RequiredSources => new()
    {
        { new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "absent" } }, null, "configmap \"absent\" not found" },
        { new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "absent", Optional = false } }, null, "secret \"absent\" not found" },
        { null, new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "absent", Key = "K" } }, "configmap \"absent\" not found" },
        { null, new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "absent", Key = "K" } }, "secret \"absent\" not found" },
        { null, new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "K" } }, "couldn't find key K in ConfigMap team/settings" },
        { null, new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "creds", Key = "K" } }, "couldn't find key K in Secret team/creds" },
    };

    [Theory]
    [MemberData(nameof(RequiredSources))]
    public async Task A_required_source_that_is_missing_is_a_config_error_with_the_kubelets_message(V1EnvFromSource? envFrom, V1EnvVarSource? valueFrom, string message)
    {
        var container = new V1Container
        {
            Name = "app",
            EnvFrom = envFrom is null ? null : [envFrom],
            Env = valueFrom is null ? null : [From("V", valueFrom)],
        };

        var error = await Assert.ThrowsAsync<ContainerConfigException>(() => ResolveAsync(container));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task A_config_map_named_twice_is_read_once()
    {
        await OwnVariablesAsync(new V1Container
        {
            Name = "app",
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" } }],
            Env = [From("M", new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "MODE" } })],
        });

        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task Field_and_resource_references_are_resolved()
    {
        var env = await OwnVariablesAsync(new V1Container
        {
            Name = "app",
            Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") } },
            Env =
            [
                From("POD_IPS", new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIPs" } }),
                From("CPU_REQUEST", new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "requests.cpu", Divisor = new ResourceQuantity("1m") } }),
                From("MEMORY_LIMIT", new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.memory", Divisor = new ResourceQuantity("1Mi") } }),
            ],
        });

        Assert.Equal("10.244.0.5", env["POD_IPS"]);
        Assert.Equal("250", env["CPU_REQUEST"]);
        Assert.Equal("8192", env["MEMORY_LIMIT"]);
    }

    [Fact]
    public async Task A_container_waits_until_the_services_have_been_listed_once()
    {
        var container = new V1Container { Name = "app" };
        var environment = new PodEnvironment((_, _, _) => Task.FromResult<V1ConfigMap?>(null), (_, _, _) => Task.FromResult<V1Secret?>(null), Allocatable, () => null);

        var error = await Assert.ThrowsAsync<ContainerConfigException>(() => environment.ResolveAsync(Pod(container), container, null, null, CancellationToken.None));

        Assert.Equal("services have not yet been read at least once, cannot construct envvars", error.Message);
    }

    [Fact]
    public async Task Without_a_service_cache_there_are_no_service_variables()
    {
        var container = new V1Container { Name = "app", Env = [Literal("A", "$(KUBERNETES_SERVICE_HOST)")] };
        var environment = new PodEnvironment((_, _, _) => Task.FromResult<V1ConfigMap?>(null), (_, _, _) => Task.FromResult<V1Secret?>(null), Allocatable);

        var env = await environment.ResolveAsync(Pod(container), container, null, null, CancellationToken.None);

        Assert.Equal([new EnvVar("A", "$(KUBERNETES_SERVICE_HOST)")], env);
    }
}
