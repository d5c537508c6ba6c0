using Gantry.E2E.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.E2E;

/// <summary>The <c>gantry</c> command line: the ready line, <c>gantry kubeconfig</c>, clean shutdown.</summary>
[Collection(GantryCollection.Name)]
public sealed class LifecycleTests(GantryFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [Fact]
    public void Up_prints_one_ready_line_naming_the_kubeconfig_in_the_data_dir()
    {
        Check.Equal(Path.Combine(Fixture.DataDir, "kubeconfig"), Fixture.KubeconfigPath, "kubeconfig path on the ready line");
        Assert.True(File.Exists(Fixture.KubeconfigPath), $"{Fixture.KubeconfigPath} does not exist");
        Check.Equal(1, Fixture.Server.ReadyLineCount, "number of 'ready:' lines on stdout");
    }

    [Fact]
    public async Task Kubeconfig_command_prints_a_kubeconfig_that_kubectl_can_use()
    {
        var printed = await ProcessRunner.RunAsync(
            RepoPaths.GantryBinary, ["kubeconfig", "--data-dir", Fixture.DataDir], null, null, TimeSpan.FromSeconds(30));
        Output.WriteLine(printed.Describe());

        Check.Succeeded(printed);
        Check.StdoutContains(printed, $"https://127.0.0.1:{Fixture.Server.Port}");
        Check.StdoutContains(printed, "certificate-authority-data");
        Check.StdoutContains(printed, "token");
        var copy = TempFile("kubeconfig");
        await File.WriteAllTextAsync(copy, printed.Stdout);
        var viaCopy = await ProcessRunner.RunAsync(
            Fixture.KubectlBinary,
            ["--kubeconfig=" + copy, "--cache-dir=" + Path.Combine(Fixture.WorkDir, "kube-cache-copy"), "get", "namespace", "default", "-o", "name"],
            null, new Dictionary<string, string?> { ["KUBECONFIG"] = null }, TimeSpan.FromSeconds(30));
        Output.WriteLine(viaCopy.Describe());
        Check.Succeeded(viaCopy);
        Check.Equal("namespace/default", viaCopy.Stdout.Trim(), "kubectl through the printed kubeconfig");
    }

    [Fact]
    public async Task Up_stops_cleanly_on_sigterm()
    {
        var dataDir = Path.Combine(Fixture.WorkDir, "second-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dataDir);
        await using var second = GantryServer.Start(RepoPaths.GantryBinary, dataDir, GantryFixture.FreeTcpPort());
        try
        {
            await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

            var exitedByItself = await second.StopAsync(TimeSpan.FromSeconds(20));

            Assert.True(exitedByItself, "gantry up did not exit within 20 s of SIGTERM (it was killed).");
            Check.Equal(0, second.ExitCode, "exit code after SIGTERM");
        }
        finally
        {
            Output.WriteLine("=== second gantry up ===");
            Output.WriteLine(second.OutputSince(0, maxLines: 200));
            await second.StopAsync(TimeSpan.FromSeconds(20));

            // The tmpfs mounts of its agent's runtime state outlive it, as a node's do; reset unmounts them.
            var reset = await ProcessRunner.RunAsync(RepoPaths.GantryBinary, ["reset", "--force", "--data-dir", dataDir], null, null, TimeSpan.FromSeconds(60));
            Output.WriteLine(reset.Describe());
            Check.Succeeded(reset);
        }
    }
}
