using Xunit.Sdk;

namespace Gantry.E2E.Harness;

/// <summary>Polling with a deadline, for state that converges (never a fixed sleep).</summary>
public static class Eventually
{
    /// <summary>
    /// Calls <paramref name="probe"/> until <paramref name="done"/> holds for its value, or fails after
    /// <paramref name="timeout"/> with the last value seen.
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, Func<T, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var last = describe is null ? value?.ToString() : describe(value);
                throw new XunitException($"Timed out after {timeout.TotalSeconds:F0}s waiting for {what}. Last seen:\n{last}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }
}
