namespace Gantry.Server.Storage;

/// <summary>A mutation queued for the writer loop, and the caller waiting for its outcome.</summary>
internal sealed class PendingMutation
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Withdrawn = 2;

    private readonly TaskCompletionSource<CommitResult> _outcome =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly CancellationTokenRegistration _cancellation;
    private int _state;

    public PendingMutation(Mutation mutation, byte[] key, CancellationToken cancellationToken)
    {
        Mutation = mutation;
        Key = key;

        // Cancellation only withdraws a mutation the writer has not taken yet, so a cancelled task always
        // means "not applied"; once taken, the caller waits for the real outcome.
        _cancellation = cancellationToken.UnsafeRegister(
            static (state, token) => ((PendingMutation)state!).Withdraw(token),
            this);
    }

    public Mutation Mutation { get; }

    /// <summary>The key as stored: strict UTF-8, so byte order is code point order.</summary>
    public byte[] Key { get; }

    public Task<CommitResult> Outcome => _outcome.Task;

    /// <summary>Claims the mutation for a batch; false when the caller withdrew it first.</summary>
    public bool TryTake()
    {
        if (Interlocked.CompareExchange(ref _state, Taken, Queued) != Queued)
        {
            return false;
        }

        _cancellation.Dispose();
        return true;
    }

    public void Complete(CommitResult result) => _outcome.SetResult(result);

    public void Fail(Exception error) => _outcome.SetException(error);

    /// <summary>Fails a taken mutation unless it was already answered.</summary>
    public void FailUnanswered(Exception error) => _outcome.TrySetException(error);

    /// <summary>Fails a mutation that will never reach a batch, unless its caller already withdrew it.</summary>
    public void Abandon(Exception error)
    {
        if (TryTake())
        {
            Fail(error);
        }
    }

    private void Withdraw(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued)
        {
            _outcome.SetCanceled(token);
        }
    }
}
