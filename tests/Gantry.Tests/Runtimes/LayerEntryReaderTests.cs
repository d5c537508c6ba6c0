using System.Formats.Tar;
using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class LayerEntryReaderTests
{
    private static List<LayerEntry?> Read(params TarEntry[] entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        buffer.Position = 0;
        using var reader = new TarReader(buffer);
        var result = new List<LayerEntry?>();
        while (reader.GetNextEntry() is { } entry)
        {
            result.Add(LayerEntryReader.Classify(entry));
        }

        return result;
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, string? link = null)
    {
        var entry = new PaxTarEntry(type, name) { Uid = 1000, Gid = 100, Mode = (UnixFileMode)0b110_100_100 };
        if (link is not null)
        {
            entry.LinkName = link;
        }

        return entry;
    }

    [Fact]
    public void Files_directories_and_links_keep_their_kind_owner_mode_and_target()
    {
        var entries = Read(
            Entry(TarEntryType.Directory, "./etc/"),
            Entry(TarEntryType.RegularFile, "./etc/hosts"),
            Entry(TarEntryType.SymbolicLink, "bin", "usr/bin"),
            Entry(TarEntryType.HardLink, "usr/bin/[", "./usr/bin/test"));

        Assert.Equal(
            [
                (LayerEntryKind.Directory, "etc", null),
                (LayerEntryKind.File, "etc/hosts", null),
                (LayerEntryKind.Symlink, "bin", "usr/bin"),
                (LayerEntryKind.HardLink, "usr/bin/[", "usr/bin/test"),
            ],
            entries.Select(e => (e!.Kind, e.Path, e.LinkTarget)));
        Assert.All(entries, e => Assert.Equal((1000, 100, (UnixFileMode)0b110_100_100), (e!.Uid, e.Gid, e.Mode)));
    }

    [Fact]
    public void A_whiteout_deletes_the_name_it_prefixes_and_an_opaque_marker_hides_its_directory()
    {
        var entries = Read(
            Entry(TarEntryType.RegularFile, "etc/.wh.motd"),
            Entry(TarEntryType.RegularFile, ".wh.tmp"),
            Entry(TarEntryType.RegularFile, "var/cache/.wh..wh..opq"));

        Assert.Equal(
            [(LayerEntryKind.Whiteout, "etc/motd"), (LayerEntryKind.Whiteout, "tmp"), (LayerEntryKind.OpaqueDirectory, "var/cache")],
            entries.Select(e => (e!.Kind, e.Path)));
    }

    [Fact]
    public void Aufs_bookkeeping_entries_and_the_root_itself_change_nothing()
    {
        var entries = Read(Entry(TarEntryType.Directory, "./"), Entry(TarEntryType.RegularFile, ".wh..wh.plnk/123.456"), Entry(TarEntryType.Directory, ".wh..wh.orph/"));

        Assert.All(entries, Assert.Null);
    }

    [Fact]
    public void Paths_are_normalized_inside_the_layer_and_climbing_out_of_it_is_rejected()
    {
        Assert.Equal("usr/lib/x", LayerEntryReader.NormalizePath("./usr//bin/../lib/x"));
        Assert.Equal("etc/passwd", LayerEntryReader.NormalizePath("/etc/passwd"));
        Assert.Throws<InvalidDataException>(() => LayerEntryReader.NormalizePath("a/../../etc/passwd"));
        Assert.Throws<InvalidDataException>(() => Read(Entry(TarEntryType.HardLink, "x", "../../etc/shadow")));
    }

    [Fact]
    public void Device_nodes_keep_their_numbers()
    {
        var entry = Assert.Single(Read(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3 }));

        Assert.Equal((LayerEntryKind.CharacterDevice, 1, 3), (entry!.Kind, entry.DeviceMajor, entry.DeviceMinor));
    }
}
