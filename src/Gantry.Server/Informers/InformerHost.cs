using Microsoft.Extensions.Hosting;

namespace Gantry.Server.Informers;

/// <summary>
/// Runs the shared informers and the event recorder. Registered after every loop that uses them, so
/// that all informers have been asked for when it starts (the host builds all its services first).
/// </summary>
public sealed class InformerHost(SharedInformers informers, EventRecorder events) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(informers.RunAsync(stoppingToken), events.RunAsync(stoppingToken));
}
