using System.Collections.Concurrent;
using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class DirectoryEventsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly string _root = Directory.CreateTempSubdirectory("gantry-directory-events-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_file_renamed_into_a_watched_directory_is_reported_by_name()
    {
        var names = new ConcurrentQueue<string?>();
        using var watch = DirectoryEvents.Shared.Subscribe(_root, names.Enqueue);

        await File.WriteAllTextAsync(Path.Combine(_root, "exit.tmp"), "0\n");
        File.Move(Path.Combine(_root, "exit.tmp"), Path.Combine(_root, "exit"));

        await WaitForAsync(() => names.Contains("exit"));
    }

    [Fact]
    public async Task Nothing_is_reported_after_the_subscription_is_disposed()
    {
        var names = new ConcurrentQueue<string?>();
        var watch = DirectoryEvents.Shared.Subscribe(_root, names.Enqueue);
        watch.Dispose();
        var seen = new ConcurrentQueue<string?>();
        using var witness = DirectoryEvents.Shared.Subscribe(_root, seen.Enqueue);

        await File.WriteAllTextAsync(Path.Combine(_root, "started"), "1 2 3 4\n");

        await WaitForAsync(() => seen.Contains("started"));
        Assert.Empty(names);
    }

    [Fact]
    public async Task Hundreds_of_directories_can_be_watched_at_once()
    {
        // More than fs.inotify.max_user_instances (128): one FileSystemWatcher per container ran out there.
        var appeared = new ConcurrentDictionary<int, bool>();
        var watches = Enumerable.Range(0, 300).Select(i =>
        {
            var directory = Directory.CreateDirectory(Path.Combine(_root, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
            return DirectoryEvents.Shared.Subscribe(directory, name => appeared[i] = name == "ready");
        }).ToList();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(_root, "299", "ready"), "");

            await WaitForAsync(() => appeared.TryGetValue(299, out var ready) && ready);
        }
        finally
        {
            watches.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public void Watching_a_directory_that_does_not_exist_throws()
    {
        Assert.Throws<IOException>(() => DirectoryEvents.Shared.Subscribe(Path.Combine(_root, "missing"), _ => { }));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the event did not arrive");
            await Task.Delay(10);
        }
    }
}
