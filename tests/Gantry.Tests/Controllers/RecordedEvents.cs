using Gantry.Core.Resources;
using Gantry.Server.Controllers;
using Gantry.Server.Informers;
using Gantry.Tests.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Tests.Controllers;

/// <summary>
/// The event recorder of a controller under test, running on a <see cref="SteppingClock"/>, and the events it wrote about
/// an object, read once everything it was asked to record before has been stored.
/// </summary>
internal sealed class RecordedEvents : IAsyncDisposable
{
    private static readonly ResourceType Events = ResourceCatalog.Get("", "events");

    private readonly RegistryTestContext _context;
    private readonly CancellationTokenSource _recording = new();
    private readonly Task _run;

    public RecordedEvents(RegistryTestContext context, InProcessClient client, string component)
    {
        _context = context;
        Recorder = new EventRecorder(client, component, new SteppingClock(context.Time), NullLogger.Instance);
        _run = Recorder.RunAsync(_recording.Token);
    }

    public EventRecorder Recorder { get; }

    /// <summary>The events about <paramref name="obj"/>: a marker recorded after them all is waited for, then left out.</summary>
    public async Task<List<Corev1Event>> AboutAsync(IKubernetesObject<V1ObjectMeta> obj)
    {
        var marker = Guid.NewGuid().ToString();
        Recorder.Record(obj, "Normal", "Marker", marker);
        await _context.UntilStoredAsync(Events, () => All().Any(e => e.Message == marker));
        return [.. All().Where(e => e.Reason != "Marker" && e.InvolvedObject.Name == obj.Name())];
    }

    public async ValueTask DisposeAsync()
    {
        await _recording.CancelAsync();
        await _run;
        _recording.Dispose();
    }

    private List<Corev1Event> All() => _context.ListStored<Corev1Event>(Events);
}
