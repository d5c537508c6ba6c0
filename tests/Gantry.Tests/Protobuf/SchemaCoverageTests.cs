using Gantry.Core.Resources;
using Gantry.Server.Api.Protobuf;
using Xunit;

namespace Gantry.Tests.Protobuf;

public sealed class SchemaCoverageTests
{
    public static TheoryData<string, string> BodyKinds()
    {
        var kinds = new HashSet<(string ApiVersion, string Kind)> { ("v1", "DeleteOptions") };
        // CustomResourceDefinitions come as JSON: their schemas' raw JSON fields (JSONSchemaPropsOrArray and the like)
        // have no typed protobuf form, and kubectl and client-go's apiextensions clients send JSON.
        foreach (var type in ResourceCatalog.Types.Where(t => t.Group != "apiextensions.k8s.io"))
        {
            kinds.Add((type.ApiVersion, type.Kind));
            // Connect options (exec, attach, portforward) come as query parameters, not bodies.
            foreach (var sub in type.Subresources.Where(s => !s.Kind.EndsWith("Options", StringComparison.Ordinal)))
            {
                kinds.Add((sub.Group.Length == 0 ? sub.Version : $"{sub.Group}/{sub.Version}", sub.Kind));
            }
        }
        var data = new TheoryData<string, string>();
        foreach (var (apiVersion, kind) in kinds)
        {
            data.Add(apiVersion, kind);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BodyKinds))]
    public void Every_served_kind_and_subresource_body_has_a_protobuf_schema(string apiVersion, string kind)
    {
        Assert.NotNull(ProtobufSchema.Kubernetes.FindKind(apiVersion, kind));
    }
}
