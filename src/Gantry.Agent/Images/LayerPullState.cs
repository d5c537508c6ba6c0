namespace Gantry.Agent.Images;

/// <summary>Where one layer of a pull stands, in the words `docker pull` prints.</summary>
public enum LayerPullState
{
    /// <summary>Queued behind other downloads.</summary>
    Waiting,

    /// <summary>Its blob is arriving.</summary>
    Downloading,

    /// <summary>Its blob arrived and matched its digest.</summary>
    DownloadComplete,

    /// <summary>Unpacked into the store along with the rest of the image.</summary>
    PullComplete,

    /// <summary>The store already had it (another image shares it); nothing was fetched.</summary>
    AlreadyExists,
}
