using Gantry.Agent.Images;
using Xunit;

namespace Gantry.Tests.Images;

public sealed class PullBackOffTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_failed_pull_backs_off_ten_seconds_then_doubles_up_to_five_minutes()
    {
        var backOff = new PullBackOff();
        var now = Start;
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            backOff.Failed("pod_image", now);
            Assert.True(backOff.IsInBackOff("pod_image", now, out var delay));
            delays.Add(delay);
            now += delay;
            Assert.False(backOff.IsInBackOff("pod_image", now, out _));
        }

        Assert.Equal([10, 20, 40, 80, 160, 300, 300], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void Back_off_is_per_key()
    {
        var backOff = new PullBackOff();
        backOff.Failed("podA_busybox", Start);

        Assert.True(backOff.IsInBackOff("podA_busybox", Start, out _));
        Assert.False(backOff.IsInBackOff("podB_busybox", Start, out _));
    }

    [Fact]
    public void A_key_idle_for_twice_the_maximum_starts_over_at_ten_seconds()
    {
        var backOff = new PullBackOff();
        backOff.Failed("k", Start);
        backOff.Failed("k", Start + TimeSpan.FromSeconds(10));
        var later = Start + TimeSpan.FromSeconds(10) + (2 * PullBackOff.Maximum) + TimeSpan.FromSeconds(1);

        backOff.Failed("k", later);

        Assert.True(backOff.IsInBackOff("k", later, out var delay));
        Assert.Equal(PullBackOff.Initial, delay);
    }
}
