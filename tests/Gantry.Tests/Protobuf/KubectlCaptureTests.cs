using System.Text.Json.Nodes;
using Gantry.Server.Api.Protobuf;
using Xunit;

namespace Gantry.Tests.Protobuf;

public sealed class KubectlCaptureTests
{
    public static TheoryData<string> Names { get; } = [.. KubectlCaptures.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Protobuf_from_kubectl_1_32_decodes_to_the_json_kubectl_1_27_sends(string name)
    {
        var capture = KubectlCaptures.All.Single(c => c.Name == name);

        var decoded = KubernetesProtobuf.Decode(Convert.FromBase64String(capture.Protobuf));

        // Compared as text, so the properties must also come in the order Go writes them.
        Assert.Equal(JsonNode.Parse(capture.Json)!.ToJsonString(), decoded.ToJsonString());
    }
}
