namespace Gantry.Agent.Images;

/// <summary>One line of `gantry image ls`, already formatted.</summary>
public sealed record ImageListingRow(string Repository, string Tag, string ImageId, string Created, string Size);
