namespace Gantry.Server.Marathon.Events;

/// <summary>One event of Marathon's event bus: its <c>eventType</c> and its JSON, written once for every subscriber.</summary>
public sealed record MarathonEvent(string Type, string Data);
