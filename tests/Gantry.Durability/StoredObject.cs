namespace Gantry.Durability;

/// <summary>A config map as listed from the server: which write's content it holds and at which resourceVersion.</summary>
/// <param name="ContentIntact">Whether the payload is the one derived from the nonce (no torn or mixed write).</param>
internal sealed record StoredObject(string Name, long Revision, string Nonce, bool ContentIntact);
