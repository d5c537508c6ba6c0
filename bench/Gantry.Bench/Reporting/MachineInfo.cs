using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gantry.Bench.Reporting;

/// <summary>What the numbers were measured on; every figure is meaningless without it.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Memory, string Kernel, string Os, string Runtime, string Disk, string GantryCommit, string LoadAverage)
{
    public static MachineInfo Collect(string dataDirectory, string repositoryRoot) => new(
        FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        FirstValue("/proc/meminfo", "MemTotal") ?? "?",
        Read("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        OsName(),
        RuntimeInformation.FrameworkDescription,
        DescribeDisk(dataDirectory),
        Git(repositoryRoot),
        Read("/proc/loadavg") ?? "?");

    public IEnumerable<string> Lines()
    {
        yield return $"- CPU: {Cpu}, {Cores} cores (nproc)";
        yield return $"- Memory: {Memory}";
        yield return $"- Kernel: {Kernel}; OS: {Os}; {Runtime}";
        yield return $"- Disk (server data dir): {Disk}";
        yield return $"- Gantry commit: {GantryCommit}";
        yield return $"- Load average when the bench started (/proc/loadavg): {LoadAverage}";
    }

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string? FirstValue(string path, string key) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(l => l.StartsWith(key, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
            : null;

    private static string OsName() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").Where(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)).Select(l => l["PRETTY_NAME=".Length..].Trim('"')).FirstOrDefault() ?? "?"
            : RuntimeInformation.OSDescription;

    /// <summary>The mount that holds the directory (longest mount point prefix), and whether it is rotational.</summary>
    private static string DescribeDisk(string directory)
    {
        if (!File.Exists("/proc/mounts"))
        {
            return "?";
        }

        var mount = File.ReadLines("/proc/mounts")
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 3 && (directory == f[1] || directory.StartsWith(f[1].TrimEnd('/') + "/", StringComparison.Ordinal)))
            .MaxBy(f => f[1].Length);
        if (mount is null)
        {
            return "?";
        }

        var device = Path.GetFileName(mount[0]);
        var rotational = Read($"/sys/block/{device}/queue/rotational") switch
        {
            "0" => "non-rotational",
            "1" => "rotational",
            _ => "rotational: unknown",
        };
        var size = long.TryParse(Read($"/sys/block/{device}/size"), out var sectors) ? $", {sectors * 512 / (1L << 30)} GiB" : "";
        return $"{mount[0]} ({mount[2]}, {rotational}{size}) mounted at {mount[1]}, options {mount[3]}";
    }

    private static string Git(string repositoryRoot)
    {
        try
        {
            var start = new ProcessStartInfo("git", ["-C", repositoryRoot, "log", "-1", "--format=%h %s"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = Process.Start(start);
            var output = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return string.IsNullOrEmpty(output) ? "?" : output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "? (git not found)";
        }
    }
}
