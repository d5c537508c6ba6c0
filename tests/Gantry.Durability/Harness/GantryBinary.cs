namespace Gantry.Harness;

/// <summary>Finds the gantry executable that tests and benchmarks start.</summary>
public static class GantryBinary
{
    /// <summary>
    /// <c>$GANTRY_BIN</c> when set, otherwise <c>out/gantry/gantry</c> under the repository root
    /// (the nearest ancestor of the running assembly that holds <c>Gantry.slnx</c>).
    /// </summary>
    public static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("GANTRY_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? Path.GetFullPath(fromEnvironment)
                : throw new FileNotFoundException($"GANTRY_BIN points at {fromEnvironment}, which does not exist.");
        }

        var root = RepositoryRoot();
        var binary = Path.Combine(root, "out", "gantry", "gantry");
        return File.Exists(binary)
            ? binary
            : throw new FileNotFoundException(
                $"{binary} does not exist. Build it first: dotnet build src/Gantry/Gantry.csproj -c Release -o out/gantry (or set GANTRY_BIN).");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gantry.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ancestor of {AppContext.BaseDirectory} holds Gantry.slnx; set GANTRY_BIN.");
    }
}
