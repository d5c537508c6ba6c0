using Gantry.Tests.Registry;

namespace Gantry.Tests.Controllers;

/// <summary>
/// The test's standing clock, one tick later at every reading: event names are made of the time they
/// are written, and under a clock that stands still two events about one object would get one name.
/// </summary>
internal sealed class SteppingClock(FakeTimeProvider time) : TimeProvider
{
    private long _readings;

    public override DateTimeOffset GetUtcNow() => time.Now.AddTicks(Interlocked.Increment(ref _readings));
}
