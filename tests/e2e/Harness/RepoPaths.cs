namespace Gantry.E2E.Harness;

/// <summary>
/// Where the suite finds the things it drives: the repository root, the <c>gantry</c> binary,
/// the kubectl binary and the manifests copied next to the test assembly.
/// </summary>
public static class RepoPaths
{
    /// <summary>The nearest ancestor of the test assembly's folder that holds <c>Gantry.slnx</c>.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>GANTRY_BIN</c> when set, else <c>&lt;repo&gt;/out/gantry/gantry</c>.</summary>
    public static string GantryBinary
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("GANTRY_BIN");
            return string.IsNullOrWhiteSpace(fromEnv)
                ? Path.Combine(RepoRoot, "out", "gantry", "gantry")
                : Path.GetFullPath(fromEnv);
        }
    }

    /// <summary><c>KUBECTL</c> when set (a name on PATH or a full path), else <c>kubectl</c>.</summary>
    public static string KubectlBinary
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("KUBECTL");
            return string.IsNullOrWhiteSpace(fromEnv) ? "kubectl" : fromEnv;
        }
    }

    /// <summary>The full path of a manifest under <c>tests/e2e/manifests/</c> (copied to the output folder).</summary>
    public static string Manifest(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "manifests", fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Manifest '{fileName}' is not in {Path.GetDirectoryName(path)}; add it under tests/e2e/manifests/.", path);
        }

        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gantry.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No ancestor of {AppContext.BaseDirectory} contains Gantry.slnx; run the suite from inside the repository or set GANTRY_BIN.");
    }
}
