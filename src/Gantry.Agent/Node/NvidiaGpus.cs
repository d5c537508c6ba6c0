using System.Text.RegularExpressions;

namespace Gantry.Agent.Node;

/// <summary>
/// The NVIDIA GPUs of this machine, as the driver exposes them: one character device <c>/dev/nvidiaN</c> per GPU.
/// The driver's other devices (<c>nvidiactl</c>, <c>nvidia-uvm</c>, <c>nvidia-modeset</c>, and on NVSwitch systems
/// <c>nvidia-nvswitchN</c>) are not GPUs, though some of their names end in a digit too.
/// </summary>
public static partial class NvidiaGpus
{
    public static int Count(string devDirectory = "/dev") =>
        Directory.Exists(devDirectory)
            ? Directory.EnumerateFiles(devDirectory, "nvidia*").Count(path => GpuDevice().IsMatch(Path.GetFileName(path)))
            : 0;

    [GeneratedRegex("^nvidia[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex GpuDevice();
}
