using System.Text;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class NamespaceAndSecretRulesTests
{
    [Fact]
    public void New_namespace_gets_the_kubernetes_finalizer_active_phase_and_name_label()
    {
        IResourceRules rules = new NamespaceRules();
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } };

        rules.Default(ns);

        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
        Assert.Equal("Active", ns.Status.Phase);
        Assert.Equal("team-a", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Empty(rules.ValidateCreate(ns));
    }

    [Fact]
    public void Terminating_namespace_keeps_its_emptied_finalizers()
    {
        IResourceRules rules = new NamespaceRules();
        var ns = new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = "team-a", DeletionTimestamp = DateTime.UtcNow },
            Spec = new V1NamespaceSpec { Finalizers = [] },
        };

        rules.Default(ns);

        Assert.Empty(ns.Spec.Finalizers);
    }

    [Fact]
    public void Unqualified_unknown_finalizer_is_rejected()
    {
        IResourceRules rules = new NamespaceRules();
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "a" }, Spec = new V1NamespaceSpec { Finalizers = ["cleanup"] } };

        var error = Assert.Single(rules.ValidateCreate(ns));

        Assert.Equal("spec.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified", error.ToString());
    }

    [Fact]
    public void Secret_string_data_is_merged_into_data_and_type_defaults_to_opaque()
    {
        IResourceRules rules = new SecretRules();
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds" },
            Data = new Dictionary<string, byte[]> { ["user"] = "old"u8.ToArray() },
            StringData = new Dictionary<string, string> { ["user"] = "admin", ["password"] = "s3cret" },
        };

        rules.Default(secret);

        Assert.Equal("Opaque", secret.Type);
        Assert.Null(secret.StringData);
        Assert.Equal("admin", Encoding.UTF8.GetString(secret.Data["user"]));
        Assert.Equal("s3cret", Encoding.UTF8.GetString(secret.Data["password"]));
    }

    [Fact]
    public void Tls_secret_needs_a_certificate_and_a_key()
    {
        IResourceRules rules = new SecretRules();
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "tls" }, Type = "kubernetes.io/tls" };

        var errors = rules.ValidateCreate(secret).Select(e => e.ToString());

        Assert.Equal(["data[tls.crt]: Required value", "data[tls.key]: Required value"], errors);
    }

    [Fact]
    public void Secret_type_may_not_change()
    {
        IResourceRules rules = new SecretRules();
        var old = new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, Type = "Opaque" };
        var updated = new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, Type = "kubernetes.io/basic-auth", Data = new Dictionary<string, byte[]> { ["username"] = [] } };

        var error = Assert.Single(rules.ValidateUpdate(updated, old));

        Assert.Equal("type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable", error.ToString());
    }

    [Fact]
    public void Config_map_keys_must_be_valid()
    {
        IResourceRules rules = new ConfigMapRules();
        var configMap = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a b"] = "1" } };

        var error = Assert.Single(rules.ValidateCreate(configMap));

        Assert.StartsWith("data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters", error.ToString());
    }
}
