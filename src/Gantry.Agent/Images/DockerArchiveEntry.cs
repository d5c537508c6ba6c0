namespace Gantry.Agent.Images;

/// <summary>One image of a `docker save` archive's manifest.json: paths inside the archive.</summary>
internal sealed record DockerArchiveEntry(string Config, IReadOnlyList<string> RepoTags, IReadOnlyList<string> Layers);
