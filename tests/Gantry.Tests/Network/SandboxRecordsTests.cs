using Gantry.Agent.Network;
using Xunit;

namespace Gantry.Tests.Network;

public sealed class SandboxRecordsTests : IDisposable
{
    private const string Uid = "0b4f5a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"gantry-records-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_record_reads_back_as_written_and_is_gone_once_deleted()
    {
        var records = new SandboxRecords(_directory);
        var record = new SandboxRecord(Uid, "6d1e0f7a-2b3c-4d5e-9f60-718293a4b5c6", "web", "shop", "gantry-6d1e0f7a2b3c", """{"cniVersion":"1.0.0","ips":[]}""", PluginMasquerade: false, LoopbackPlugin: false);

        await records.WriteAsync(Uid, record, CancellationToken.None);
        var read = await records.ReadAsync(Uid, CancellationToken.None);
        records.Delete(Uid);

        Assert.Equal(record, read);
        Assert.Null(await records.ReadAsync(Uid, CancellationToken.None));
        Assert.Equal([], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task A_record_from_before_the_pool_names_the_pod_as_its_container_and_the_plugins_masquerading_and_loopback()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(
            Path.Combine(_directory, Uid + ".json"),
            $$$"""{"podUid":"{{{Uid}}}","podName":"web","podNamespace":"shop","networkNamespace":"gantry-0b4f5a8e1c2d","result":{"cniVersion":"1.0.0"}}""");

        var read = await new SandboxRecords(_directory).ReadAsync(Uid, CancellationToken.None);

        Assert.Equal(Uid, read!.ContainerId);
        Assert.True(read.PluginMasquerade);
        Assert.True(read.LoopbackPlugin);
    }

    [Fact]
    public async Task No_directory_means_no_record()
    {
        Assert.Null(await new SandboxRecords(_directory).ReadAsync(Uid, CancellationToken.None));
    }

    [Fact]
    public async Task A_damaged_record_is_reported_with_its_path()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(Path.Combine(_directory, Uid + ".json"), """{"podUid":""");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new SandboxRecords(_directory).ReadAsync(Uid, CancellationToken.None));

        Assert.Contains(Uid + ".json", error.Message, StringComparison.Ordinal);
    }
}
