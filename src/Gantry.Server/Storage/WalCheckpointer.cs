using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Storage;

/// <summary>
/// Copies the write-ahead log into the database file off the commit path. SQLite's automatic checkpoint runs inside
/// the commit that takes the log past 1,000 pages, so that one write in a few hundred also waited for the log to be
/// copied and the database file fsynced: up to 20 ms where a commit takes well under one. The writer raises that
/// threshold out of the way (<see cref="StoreSchema"/>) and this connection of its own runs a passive checkpoint
/// every <see cref="Interval"/> instead, which neither waits for the writer nor holds it up. The next commit after a
/// complete checkpoint starts the log over, so it stays about one interval of writes long.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _checkpoint;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private WalCheckpointer(SqliteConnection connection, TimeSpan interval, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        _checkpoint = connection.CreateCommand();
        _checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        _loop = Task.Run(() => RunAsync(interval));
    }

    public static async Task<WalCheckpointer> StartAsync(string path, ILogger logger, CancellationToken cancellationToken, TimeSpan? interval = null)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return new WalCheckpointer(connection, interval ?? Interval, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _checkpoint.DisposeAsync();
        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                CheckpointOnce();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void CheckpointOnce()
    {
        try
        {
            _checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            // The next tick tries again; meanwhile the log only grows, and every commit still lands in it.
            StoreLog.CheckpointFailed(_logger, e);
        }
    }
}
