namespace Gantry.Server.Storage;

/// <summary>
/// The store's writer met an error it cannot recover from and stopped: no write is accepted until the server is
/// restarted, which reopens the store from what is on disk. A write in flight when it stopped may or may not have been
/// applied; every write it acknowledged is durable.
/// </summary>
public sealed class StoreStoppedException(Exception cause)
    : Exception("The store stopped accepting writes after an unexpected error; restart the server. " + cause.Message, cause);
