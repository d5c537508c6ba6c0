using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace Gantry.Server.Kernel;

/// <summary>
/// Runs allocation rounds whenever something changed that could produce offers (resources freed,
/// a node added, a framework revived); triggers that arrive during a round are coalesced into one.
/// </summary>
public sealed class AllocationLoop(Allocator allocator) : BackgroundService
{
    private readonly Channel<bool> _triggers = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Trigger() => _triggers.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _triggers.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                allocator.Allocate();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
