namespace Gantry.Agent.Images;

/// <summary>
/// One layer tar entry, classified and with its path made safe: relative, normalized, never
/// climbing out of the layer. For whiteouts <see cref="Path"/> is what gets deleted; for an opaque
/// marker it is the directory.
/// </summary>
internal sealed record LayerEntry(
    LayerEntryKind Kind,
    string Path,
    string? LinkTarget,
    UnixFileMode Mode,
    int Uid,
    int Gid,
    DateTimeOffset ModifiedAt,
    int DeviceMajor,
    int DeviceMinor);
