namespace Gantry.Tests.Network;

/// <summary>
/// A plugin directory of shell scripts standing in for CNI plugins: each records the CNI_* environment and GOMAXPROCS,
/// and its stdin, next to itself, then prints and exits as told. Exercises the exec protocol without root or a network.
/// </summary>
internal sealed class FakePlugins : IDisposable
{
    public FakePlugins()
    {
        Directory.CreateDirectory(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gantry-fake-cni-{Guid.NewGuid():N}");

    public void Add(string plugin, string stdout, int exitCode = 0, string stderr = "")
    {
        var script = System.IO.Path.Combine(Path, plugin);
        File.WriteAllText(script, $$"""
            #!/bin/sh
            cat > "{{script}}.stdin"
            env | grep -E '^(CNI_|GOMAXPROCS=)' | sort > "{{script}}.env"
            printf '%s' '{{stderr}}' >&2
            cat <<'EOF'
            {{stdout}}
            EOF
            exit {{exitCode}}
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string StdinOf(string plugin) => File.ReadAllText(System.IO.Path.Combine(Path, plugin + ".stdin"));

    public string[] EnvironmentOf(string plugin) => File.ReadAllLines(System.IO.Path.Combine(Path, plugin + ".env"));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
