namespace Gantry.Tests.Registry;

/// <summary>A clock that stands still until a test moves it, so timestamps can be asserted exactly.</summary>
internal sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
