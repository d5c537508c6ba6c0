using System.Text;
using Gantry.Server.Storage;

namespace Gantry.Tests.Storage;

/// <summary>
/// A fresh data directory for one test, and a deadline so that a broken store fails the test
/// instead of hanging it.
/// </summary>
internal sealed class StoreTestContext : IDisposable
{
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(60));

    public StoreTestContext()
    {
        DirectoryPath = Directory.CreateTempSubdirectory("gantry-store-").FullName;
    }

    public string DirectoryPath { get; }

    public string DatabasePath => Path.Combine(DirectoryPath, "store.db");

    public CancellationToken Deadline => _deadline.Token;

    public Task<SqliteVersionedStore> OpenAsync(int watchBufferCapacity = 1024) =>
        SqliteVersionedStore.OpenAsync(DatabasePath, null, watchBufferCapacity, Deadline);

    public static byte[] Value(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[]? value) => value is null ? "<null>" : Encoding.UTF8.GetString(value);

    public static async Task<List<StoreEvent>> TakeAsync(IAsyncEnumerator<StoreEvent> events, int count)
    {
        var taken = new List<StoreEvent>(count);
        while (taken.Count < count && await events.MoveNextAsync())
        {
            taken.Add(events.Current);
        }

        return taken;
    }

    public void Dispose()
    {
        _deadline.Dispose();
        Directory.Delete(DirectoryPath, recursive: true);
    }
}
