using System.Text.Json;
using Gantry.Server.Security;
using Xunit;

namespace Gantry.Tests.Security;

public sealed class PodReferencesTests
{
    [Fact]
    public void References_are_found_in_volumes_projections_env_env_from_every_container_list_and_pull_secrets()
    {
        const string pod = """
            {"spec":{
              "imagePullSecrets":[{"name":"registry"}],
              "volumes":[
                {"name":"a","configMap":{"name":"cm-volume"}},
                {"name":"b","secret":{"secretName":"secret-volume"}},
                {"name":"c","projected":{"sources":[{"configMap":{"name":"cm-projected"}},{"secret":{"name":"secret-projected"}}]}},
                {"name":"d","emptyDir":{}}],
              "initContainers":[{"name":"i","env":[{"name":"X","valueFrom":{"secretKeyRef":{"name":"secret-init-env","key":"k"}}}]}],
              "containers":[{"name":"c","env":[{"name":"Y","value":"plain"},{"name":"Z","valueFrom":{"configMapKeyRef":{"name":"cm-env","key":"k"}}}],
                             "envFrom":[{"secretRef":{"name":"secret-env-from"}},{"configMapRef":{"name":"cm-env-from"}}]}],
              "ephemeralContainers":[{"name":"e","envFrom":[{"configMapRef":{"name":"cm-ephemeral"}}]}]}}
            """;

        var references = PodReferences.Of(JsonDocument.Parse(pod).RootElement);

        Assert.Equal(["cm-env", "cm-env-from", "cm-ephemeral", "cm-projected", "cm-volume"], references.ConfigMaps.Order(StringComparer.Ordinal));
        Assert.Equal(["registry", "secret-env-from", "secret-init-env", "secret-projected", "secret-volume"], references.Secrets.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Claims_are_those_of_persistentVolumeClaim_volumes_and_of_ephemeral_volumes_named_after_the_pod()
    {
        const string pod = """
            {"metadata":{"name":"web"},"spec":{"volumes":[
              {"name":"data","persistentVolumeClaim":{"claimName":"web-data","readOnly":true}},
              {"name":"scratch","ephemeral":{"volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"]}}}},
              {"name":"cache","emptyDir":{}}]}}
            """;

        Assert.Equal(["web-data", "web-scratch"], PodReferences.Of(JsonDocument.Parse(pod).RootElement).Claims.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_pod_without_a_spec_names_nothing()
    {
        var references = PodReferences.Of(JsonDocument.Parse("""{"metadata":{"name":"x"}}""").RootElement);

        Assert.Empty(references.ConfigMaps);
        Assert.Empty(references.Secrets);
        Assert.Empty(references.Claims);
    }
}
