using System.Reflection;

namespace Gantry.Cli;

/// <summary><c>gantry version</c>.</summary>
public static class VersionCommand
{
    public static int Run()
    {
        var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
        Console.WriteLine($"gantry {version}");
        return 0;
    }
}
