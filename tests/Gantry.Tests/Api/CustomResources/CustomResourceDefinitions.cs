using k8s.Models;

namespace Gantry.Tests.Api.CustomResources;

/// <summary>CustomResourceDefinitions for tests: kube's CronTab example, established or not.</summary>
internal static class CustomResourceDefinitions
{
    public static V1CustomResourceDefinition CronTabs(bool established = true, params string[] servedVersions) => new()
    {
        ApiVersion = "apiextensions.k8s.io/v1",
        Kind = "CustomResourceDefinition",
        Metadata = new V1ObjectMeta { Name = "crontabs.stable.example.com" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = "stable.example.com",
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames
            {
                Plural = "crontabs", Singular = "crontab", Kind = "CronTab", ListKind = "CronTabList", ShortNames = ["ct"],
            },
            Versions = [.. (servedVersions.Length == 0 ? ["v1"] : servedVersions).Select((v, i) => new V1CustomResourceDefinitionVersion
            {
                Name = v,
                Served = true,
                Storage = i == 0,
                Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object" } },
                Subresources = new V1CustomResourceSubresources { Status = new object() },
                AdditionalPrinterColumns =
                [
                    new V1CustomResourceColumnDefinition { Name = "Spec", Type = "string", JsonPath = ".spec.cronSpec" },
                    new V1CustomResourceColumnDefinition { Name = "Replicas", Type = "integer", JsonPath = ".spec.replicas" },
                ],
            })],
        },
        Status = established
            ? new V1CustomResourceDefinitionStatus
            {
                Conditions = [new V1CustomResourceDefinitionCondition { Type = "Established", Status = "True" }],
            }
            : null,
    };
}
