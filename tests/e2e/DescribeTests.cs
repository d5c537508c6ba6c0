using System.Text.RegularExpressions;
using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary><c>kubectl describe</c>.</summary>
[Collection(GantryCollection.Name)]
public sealed class DescribeTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public async Task Describe_pod_shows_name_namespace_and_containers()
    {
        var ns = await CreateNamespaceAsync("describe");
        await Ok("create", "-f", Manifest("pod-web.yaml"), "-n", ns);

        var result = await Ok("describe", "pod", "web", "-n", ns);

        foreach (var pattern in new[]
        {
            @"^Name:\s+web$", $@"^Namespace:\s+{Regex.Escape(ns)}$", @"^Status:\s+Pending$", @"^Labels:\s+app=web$",
            @"^Containers:$", @"^\s+web:$", @"^\s+Image:\s+busybox:1\.36$",
        })
        {
            Assert.True(Regex.IsMatch(result.Stdout, pattern, RegexOptions.Multiline), $"describe output lacks /{pattern}/.\n{result.Describe()}");
        }
    }
}
