using System.Diagnostics;
using System.Text.Json.Nodes;
using Gantry.Agent.Images;
using Gantry.Agent.Runtimes;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.IntegrationTests;

/// <summary>
/// How long starting takes, against a bare `runc run` of the same root filesystem: the medians are
/// written to the test output (dotnet test --logger "console;verbosity=detailed").
/// </summary>
public sealed class StartupLatencyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rounds = 5;

    private readonly RuntimeHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Process_and_busybox_containers_start_within_a_few_seconds()
    {
        await _harness.Images.AcquireAsync("busybox", "warm-up", _harness.Ct);
        var process = await MeasureAsync(_harness.Process, new ContainerSpec { Name = "true", Command = ["true"] });
        var oci = await MeasureAsync(_harness.Oci, new ContainerSpec { Name = "true", Image = "busybox", Command = ["true"] });
        var bare = await MeasureBareRuncAsync();

        output.WriteLine($"process runtime: start {Median(process.Start)} ms, start to exit recorded {Median(process.Exit)} ms");
        output.WriteLine($"oci runtime (busybox): start {Median(oci.Start)} ms, start to exit recorded {Median(oci.Exit)} ms");
        output.WriteLine($"bare runc run of the same rootfs, to exit: {Median(bare)} ms");
        Assert.InRange(Median(process.Start), 0, 2000);
        Assert.InRange(Median(oci.Start), 0, 5000);
    }

    private async Task<(List<double> Start, List<double> Exit)> MeasureAsync(IContainerRuntime runtime, ContainerSpec container)
    {
        var (start, exit) = (new List<double>(), new List<double>());
        for (var round = 0; round < Rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            var handle = await _harness.StartAsync(runtime, _harness.NewPod(), container);
            start.Add(stopwatch.Elapsed.TotalMilliseconds);
            await _harness.WaitForExitAsync(runtime, handle);
            exit.Add(stopwatch.Elapsed.TotalMilliseconds);
            await runtime.RemoveAsync(handle, _harness.Ct);
        }

        return (start, exit);
    }

    private async Task<List<double>> MeasureBareRuncAsync()
    {
        var bundle = Path.Combine(_harness.Root, "bare");
        var image = await _harness.Images.AcquireAsync("busybox", "bare", _harness.Ct);
        var timings = new List<double>();
        try
        {
            await new RootfsBuilder(_harness.Images).PrepareAsync(image, bundle, RootfsMode.Overlay, _harness.Ct);
            await RunAsync("runc", "spec", "--bundle", bundle);
            var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, "config.json"), _harness.Ct))!;
            config["process"]!["terminal"] = false;
            config["process"]!["args"] = new JsonArray("true");
            await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), config.ToJsonString(), _harness.Ct);
            for (var round = 0; round < Rounds; round++)
            {
                var stopwatch = Stopwatch.StartNew();
                await RunAsync("runc", "--root", Path.Combine(_harness.Root, "bare-runc"), "run", "--bundle", bundle, $"gantry-bare-{round}-{Environment.ProcessId}");
                timings.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            RootfsBuilder.Release(bundle);
            await _harness.Images.ReleaseAsync("bare", _harness.Ct);
        }

        return timings;
    }

    private static double Median(List<double> values) => Math.Round(values.Order().ElementAt(values.Count / 2), 1);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {await error}");
    }
}
