using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gantry.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Gantry.Durability;

/// <summary>
/// SIGKILLs the real server in the middle of a write storm, ten times on one data directory, and
/// checks after every restart that each acknowledged write is there with its content, that nothing
/// unwritten appeared, and that the store's revision never went backwards.
/// </summary>
/// <remarks>
/// SIGKILL loses the process, not the kernel's page cache, so this proves that the server
/// acknowledges only what it has handed to SQLite and that recovery is correct; it cannot prove
/// that fsync happens before the answer (that needs a power cut, e.g. a VM or dm-flakey).
/// </remarks>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Cycles = 10;
    private const int Creators = 32;
    private const int HotKeys = 4;
    private const int UpdatersPerKey = 2;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "gantry-durability-" + Guid.NewGuid().ToString("N")[..8]);
    private bool _keepDataDirectory = true;

    public CrashRecoveryTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 170_000)]
    public async Task Acknowledged_writes_survive_repeated_SIGKILL_and_the_revision_never_goes_back()
    {
        var seed = Environment.GetEnvironmentVariable("GANTRY_DURABILITY_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        var binary = GantryBinary.Locate();
        var ledger = new DurabilityLedger();
        var hotKeys = Enumerable.Range(0, HotKeys).Select(i => $"{ConfigMaps.NamePrefix}hot-{i}").ToList();
        var total = Stopwatch.StartNew();
        Log($"binary {binary}, data {_dataDirectory}, seed {seed} (set GANTRY_DURABILITY_SEED to repeat the kill times)");

        var server = await StartAsync(binary, "initial start").ConfigureAwait(true);
        try
        {
            var client = Client(server);
            await ConfigMaps.EnsureNamespaceAsync(client).ConfigureAwait(true);
            var setup = new Workload(client, ledger, cycle: 0);
            foreach (var key in hotKeys)
            {
                await setup.CreateAsync(key, CancellationToken.None).ConfigureAwait(true);
            }

            await VerifyAsync(client, ledger, server, "setup", seed).ConfigureAwait(true);

            var acknowledged = 0;
            for (var cycle = 1; cycle <= Cycles; cycle++)
            {
                var workload = new Workload(client, ledger, cycle);
                using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var writing = workload.RunAsync(Creators, hotKeys, UpdatersPerKey, safety.Token);
                // The clock starts at the first acknowledged write, so that no cycle dies during TLS handshakes.
                await Task.WhenAny(workload.FirstAcknowledged, writing).ConfigureAwait(true);
                var killAfter = TimeSpan.FromMilliseconds(random.Next(300, 2001));
                await Task.Delay(killAfter).ConfigureAwait(true);
                workload.MarkKilled();
                server.Kill();
                await writing.ConfigureAwait(true);
                client.Dispose();
                var counts = ledger.Counts();
                acknowledged += counts.CreatesAcknowledged + counts.UpdatesAcknowledged;
                var crashed = server.LogTail();
                server.Dispose();

                var restart = Stopwatch.StartNew();
                server = await StartAsync(binary, $"restart after the kill in cycle {cycle}").ConfigureAwait(true);
                client = Client(server);
                var revision = await VerifyAsync(client, ledger, server, $"cycle {cycle} ({counts})", seed, crashed).ConfigureAwait(true);
                Log($"cycle {cycle}: killed after {killAfter.TotalSeconds:0.00} s; {counts}; {ledger.UnacknowledgedLanded} unanswered writes had landed; restart {restart.Elapsed.TotalSeconds:0.00} s; list rv {revision}");
            }

            // A clean stop must also keep everything, and exit 0.
            client.Dispose();
            var exitCode = await server.StopAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(true);
            Assert.True(exitCode == 0, $"gantry exited with code {exitCode} after SIGTERM.\n{server.LogTail()}");
            server.Dispose();
            server = await StartAsync(binary, "restart after SIGTERM").ConfigureAwait(true);
            client = Client(server);
            await VerifyAsync(client, ledger, server, "after a clean stop", seed).ConfigureAwait(true);
            client.Dispose();

            Assert.True(acknowledged > 0, "No write was acknowledged in any cycle, so nothing was tested.");
            Log($"{Cycles} crash cycles, {acknowledged} acknowledged writes verified, {total.Elapsed.TotalSeconds:0.0} s");
            _keepDataDirectory = false;
        }
        finally
        {
            server.Dispose();
        }
    }

    public void Dispose()
    {
        if (!_keepDataDirectory && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static HttpClient Client(GantryProcess server) =>
        ClusterClient.Create(server, maxConnections: 64, System.Net.HttpVersion.Version11, TimeSpan.FromSeconds(20));

    private async Task<GantryProcess> StartAsync(string binary, string what)
    {
        try
        {
            return await GantryProcess.StartAsync(binary, _dataDirectory, FreePort.Next(), ReadyTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"gantry failed to start ({what}) on {_dataDirectory}: {ex.Message}", ex);
        }
    }

    private async Task<long> VerifyAsync(HttpClient client, DurabilityLedger ledger, GantryProcess server, string what, int seed, string? logBeforeCrash = null)
    {
        var snapshot = await ConfigMaps.ListAsync(client).ConfigureAwait(false);
        var violations = ledger.VerifyAndSettle(snapshot, ConfigMaps.IsOurs);
        if (violations.Count == 0)
        {
            return snapshot.ListRevision;
        }

        var message = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Durability violated, {what}: {violations.Count} problem(s). Seed {seed}; data kept in {_dataDirectory}.");
        foreach (var violation in violations.Take(30))
        {
            message.AppendLine("  - " + violation);
        }

        if (violations.Count > 30)
        {
            message.AppendLine(CultureInfo.InvariantCulture, $"  ... and {violations.Count - 30} more");
        }

        if (logBeforeCrash is not null)
        {
            message.AppendLine("Before the kill: " + logBeforeCrash);
        }

        message.AppendLine("After the restart: " + server.LogTail());
        Assert.Fail(message.ToString());
        return 0;
    }

    private void Log(string line) => _output.WriteLine(line);
}
