using System.Text;

namespace Gantry.Agent.Cgroups;

/// <summary>
/// Reads and writes kernel control files (cgroupfs, procfs): one write(2) per value, no create, no
/// advisory locks, so the kernel sees exactly the value and reports its own error if it refuses it.
/// </summary>
internal static class ControlFile
{
    public static void Write(string path, string value)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        try
        {
            RandomAccess.Write(handle, Encoding.ASCII.GetBytes(value), 0);
        }
        catch (IOException e)
        {
            throw new IOException($"writing '{value}' to {path}: {e.Message}", e);
        }
    }

    public static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
