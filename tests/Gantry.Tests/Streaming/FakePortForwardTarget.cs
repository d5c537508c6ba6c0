using Gantry.Agent.Streaming;

namespace Gantry.Tests.Streaming;

/// <summary>A pod whose ports are in-memory servers: each connection is handed to <paramref name="serve"/>.</summary>
internal sealed class FakePortForwardTarget(Func<int, Stream, Task> serve) : IPortForwardTarget
{
    public Task<Stream> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var (pod, client) = PipeDuplexStream.CreatePair();
        _ = Task.Run(async () =>
        {
            await using (pod)
            {
                await serve(port, pod);
            }
        }, CancellationToken.None);
        return Task.FromResult(client);
    }
}
