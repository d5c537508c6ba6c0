using Gantry.Agent.Cgroups;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Stats;
using Gantry.Tests.Registry;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gantry.Tests.Agent.Stats;

/// <summary>The sampler over a cgroup filesystem and /proc written in a temporary directory.</summary>
public sealed class ResourceUsageSamplerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _root = Directory.CreateTempSubdirectory("gantry-stats-").FullName;
    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<ContainerHandle> _running = [];

    public ResourceUsageSamplerTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "proc"));
        WriteNode(cpuJiffies: 1000, freeKiB: 4000);
    }

    [Fact]
    public void A_container_seen_once_has_its_working_set_but_no_cpu_rate_yet()
    {
        var sampler = V1Sampler();
        var web = Run("web", createdAt: Start.AddMinutes(-5));
        WriteV1(web, cpuNanoseconds: 7_000_000_000, usage: 50_000, inactiveFile: 10_000);

        sampler.Sample();

        var container = Assert.Single(Assert.Single(sampler.Summary.Pods).Containers);
        Assert.Equal("web", container.Name);
        Assert.Equal(40_000UL, container.Memory!.WorkingSetBytes);
        Assert.Equal(7_000_000_000UL, container.Cpu!.UsageCoreNanoSeconds);
        Assert.Null(container.Cpu.UsageNanoCores);
    }

    [Fact]
    public void The_second_sample_gives_the_cpu_rate_over_the_time_between_the_two()
    {
        var sampler = V1Sampler();
        var web = Run("web", createdAt: Start.AddMinutes(-5));
        WriteV1(web, cpuNanoseconds: 7_000_000_000, usage: 50_000, inactiveFile: 0);
        sampler.Sample();

        _time.Advance(TimeSpan.FromSeconds(10));
        WriteV1(web, cpuNanoseconds: 12_000_000_000, usage: 60_000, inactiveFile: 0);
        sampler.Sample();

        var cpu = Assert.Single(Assert.Single(sampler.Summary.Pods).Containers).Cpu!;
        Assert.Equal(500_000_000UL, cpu.UsageNanoCores);
        Assert.Equal(TimeSpan.FromSeconds(10), cpu.Window);
    }

    [Fact]
    public void A_young_container_seen_first_counts_from_its_start()
    {
        var sampler = V1Sampler();
        var web = Run("web", createdAt: Start.AddSeconds(-8));
        WriteV1(web, cpuNanoseconds: 2_000_000_000, usage: 1024, inactiveFile: 0);

        sampler.Sample();

        var cpu = Assert.Single(Assert.Single(sampler.Summary.Pods).Containers).Cpu!;
        Assert.Equal(250_000_000UL, cpu.UsageNanoCores);
        Assert.Equal(TimeSpan.FromSeconds(8), cpu.Window);
    }

    [Fact]
    public void A_container_whose_cgroup_is_gone_is_left_out()
    {
        var sampler = V1Sampler();
        Run("gone", createdAt: Start.AddMinutes(-1));

        sampler.Sample();

        Assert.Empty(sampler.Summary.Pods);
    }

    [Fact]
    public void The_node_rate_comes_from_proc_stat_between_two_samples()
    {
        var sampler = V1Sampler();
        sampler.Sample();
        _time.Advance(TimeSpan.FromSeconds(10));
        WriteNode(cpuJiffies: 1000 + 1500, freeKiB: 4000);

        sampler.Sample();

        var node = sampler.Summary.Node;
        Assert.Equal("node-a", node.NodeName);
        Assert.Equal(1_500_000_000UL, node.Cpu!.UsageNanoCores);
        Assert.Equal((16000UL - 4000 - 3000) * 1024, node.Memory!.WorkingSetBytes);
    }

    [Fact]
    public void On_cgroup_v2_usage_comes_from_cpu_stat_and_memory_current()
    {
        var unified = Path.Combine(_root, "unified");
        var hierarchies = CgroupHierarchies.Parse($"39 31 0:36 / {unified} rw,relatime - cgroup2 cgroup2 rw\n", _ => "cpu memory pids\n");
        var sampler = Sampler(hierarchies);
        var web = Run("web", createdAt: Start.AddMinutes(-5));
        var directory = Path.Combine(unified, "gantry/pods", web.PodUid, web.Id);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "cpu.stat"), "usage_usec 3000000\nuser_usec 3000000\n");
        File.WriteAllText(Path.Combine(directory, "memory.current"), "9000\n");
        File.WriteAllText(Path.Combine(directory, "memory.stat"), "anon 8000\ninactive_file 1000\n");

        sampler.Sample();

        var container = Assert.Single(Assert.Single(sampler.Summary.Pods).Containers);
        Assert.Equal(3_000_000_000UL, container.Cpu!.UsageCoreNanoSeconds);
        Assert.Equal(8000UL, container.Memory!.WorkingSetBytes);
    }

    private ResourceUsageSampler V1Sampler()
    {
        var cpu = Path.Combine(_root, "cpu,cpuacct");
        var memory = Path.Combine(_root, "memory");
        var mountInfo = $"""
            32 31 0:29 / {cpu} rw,relatime - cgroup cgroup rw,cpu,cpuacct
            34 31 0:31 / {memory} rw,relatime - cgroup cgroup rw,memory

            """;
        return Sampler(CgroupHierarchies.Parse(mountInfo, _ => null));
    }

    private ResourceUsageSampler Sampler(CgroupHierarchies hierarchies) => new(
        "node-a", new UsageReader(hierarchies, Path.Combine(_root, "proc")), new CgroupManager(hierarchies), () => _running, _time,
        NullLogger.Instance);

    private ContainerHandle Run(string container, DateTimeOffset createdAt)
    {
        var handle = new ContainerHandle($"{_running.Count:x16}", "process", $"uid-{container}", $"pod-{container}", "default", container, createdAt);
        _running.Add(handle);
        return handle;
    }

    private void WriteV1(ContainerHandle handle, ulong cpuNanoseconds, ulong usage, ulong inactiveFile)
    {
        var cpu = Path.Combine(_root, "cpu,cpuacct/gantry/pods", handle.PodUid, handle.Id);
        var memory = Path.Combine(_root, "memory/gantry/pods", handle.PodUid, handle.Id);
        Directory.CreateDirectory(cpu);
        Directory.CreateDirectory(memory);
        File.WriteAllText(Path.Combine(cpu, "cpuacct.usage"), $"{cpuNanoseconds}\n");
        File.WriteAllText(Path.Combine(memory, "memory.usage_in_bytes"), $"{usage}\n");
        File.WriteAllText(Path.Combine(memory, "memory.stat"), $"cache 0\ntotal_inactive_file {inactiveFile}\n");
    }

    private void WriteNode(ulong cpuJiffies, ulong freeKiB)
    {
        File.WriteAllText(Path.Combine(_root, "proc/stat"), $"cpu  {cpuJiffies} 0 0 90000 0 0 0 0 0 0\n");
        File.WriteAllText(Path.Combine(_root, "proc/meminfo"), $"MemTotal: 16000 kB\nMemFree: {freeKiB} kB\nInactive(file): 3000 kB\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
