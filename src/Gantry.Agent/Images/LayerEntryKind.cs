namespace Gantry.Agent.Images;

/// <summary>What one entry of a layer tar does to the filesystem.</summary>
internal enum LayerEntryKind
{
    Directory,
    File,
    Symlink,
    HardLink,
    CharacterDevice,
    BlockDevice,
    Fifo,

    /// <summary>A ".wh.&lt;name&gt;" marker: &lt;name&gt; from the layers below is deleted.</summary>
    Whiteout,

    /// <summary>A ".wh..wh..opq" marker: the directory hides everything the layers below put in it.</summary>
    OpaqueDirectory,
}
