using Gantry.Agent.Streaming;
using Xunit;

namespace Gantry.Tests.Streaming;

public sealed class AttachSessionTests
{
    [Fact]
    public async Task An_attach_reports_success_whatever_the_container_exited_with()
    {
        var target = new FakeExecTarget(async process =>
        {
            await process.WriteStdoutAsync("last words\n");
            return 3;
        });
        await using var session = SpdyExecHarness.Start(target, "?container=main&stdout=true", attach: true, "v4.channel.k8s.io");

        await session.Client.OpenAsync(1, ("streamtype", "error"));
        await session.Client.OpenAsync(3, ("streamtype", "stdout"));
        var received = await session.Client.CollectUntilFinishedAsync(1, 3);

        Assert.Empty(target.Request!.Command);
        Assert.Equal(("last words\n", """{"metadata":{},"status":"Success"}"""), (received[3], received[1]));
    }

    [Fact]
    public async Task An_attach_that_cannot_start_is_reported_as_the_kubelet_words_it()
    {
        var target = new FakeExecTarget(_ => Task.FromResult(0)) { FailWith = new InvalidOperationException("container main is not running in pod ns/p") };
        await using var session = SpdyExecHarness.Start(target, "?container=main&stdout=true", attach: true, "v4.channel.k8s.io");

        await session.Client.OpenAsync(1, ("streamtype", "error"));
        await session.Client.OpenAsync(3, ("streamtype", "stdout"));
        var received = await session.Client.CollectUntilFinishedAsync(1, 3);

        Assert.Contains("error attaching to container: container main is not running in pod ns/p", received[1], StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"InternalError\"", received[1], StringComparison.Ordinal);
    }
}
