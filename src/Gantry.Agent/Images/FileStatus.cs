namespace Gantry.Agent.Images;

/// <summary>What lstat says about a file: its type bits (S_IFMT), permissions, owner and device numbers.</summary>
internal sealed record FileStatus(uint Type, UnixFileMode Mode, int Uid, int Gid, int DeviceMajor, int DeviceMinor);
