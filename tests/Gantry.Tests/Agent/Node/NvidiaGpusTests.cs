using Gantry.Agent.Node;
using Xunit;

namespace Gantry.Tests.Agent.Node;

public sealed class NvidiaGpusTests : IDisposable
{
    private readonly string _dev = Directory.CreateTempSubdirectory("gantry-dev-").FullName;

    public void Dispose() => Directory.Delete(_dev, recursive: true);

    [Fact]
    public void A_one_gpu_machine_s_devices_count_one_gpu()
    {
        // /dev of a machine with one H200 (driver 580.159.04), as listed there, where nvidia-smi -L showed one GPU.
        Touch("nvidia0", "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools");
        Directory.CreateDirectory(Path.Combine(_dev, "nvidia-caps"));
        Touch(Path.Combine("nvidia-caps", "nvidia-cap1"), Path.Combine("nvidia-caps", "nvidia-cap2"));

        Assert.Equal(1, NvidiaGpus.Count(_dev));
    }

    [Fact]
    public void Each_numbered_nvidia_device_is_one_gpu()
    {
        Touch("nvidia0", "nvidia1", "nvidia10", "nvidiactl", "nvidia-modeset");

        Assert.Equal(3, NvidiaGpus.Count(_dev));
    }

    [Fact]
    public void NVSwitch_devices_are_not_gpus()
    {
        Touch("nvidia0", "nvidia1", "nvidia2", "nvidia3", "nvidia-nvswitch0", "nvidia-nvswitch1", "nvidiactl");

        Assert.Equal(4, NvidiaGpus.Count(_dev));
    }

    [Fact]
    public void A_machine_without_the_driver_has_no_gpus()
    {
        Touch("null", "zero");

        Assert.Equal(0, NvidiaGpus.Count(_dev));
        Assert.Equal(0, NvidiaGpus.Count(Path.Combine(_dev, "missing")));
    }

    private void Touch(params string[] names)
    {
        foreach (var name in names)
        {
            File.WriteAllBytes(Path.Combine(_dev, name), []);
        }
    }
}
