using Gantry.Bench;
using Gantry.Bench.PodStartup;
using Gantry.Bench.Registry;
using Gantry.Bench.Scheduling;
using Gantry.Bench.Scheduling.Floor;
using Gantry.Bench.ServiceProxy;
using Gantry.Bench.Store;

const string usage = "usage: Gantry.Bench api|pod-startup|registry|scheduling|service-proxy|store [flags]; --help after the scenario lists them";
if (args.Length == 0 || args[0] is not ("api" or "pod-startup" or "registry" or "scheduling" or "service-proxy" or "store" or "floor-server"))
{
    Console.Error.WriteLine(usage);
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine(PodStartupOptions.Usage);
    Console.Error.WriteLine(WritePathBenchmark.Usage);
    Console.Error.WriteLine(SchedulingOptions.Usage);
    Console.Error.WriteLine(ServiceProxyOptions.Usage);
    Console.Error.WriteLine(StoreBenchmark.Usage);
    return 2;
}

try
{
    return args[0] switch
    {
        "api" => await ApiBenchmark.RunAsync(args[1..]).ConfigureAwait(false),
        "registry" => await WritePathBenchmark.RunAsync(args[1..]).ConfigureAwait(false),
        "scheduling" => await SchedulingBenchmark.RunAsync(args[1..]).ConfigureAwait(false),
        "service-proxy" => await ServiceProxyBenchmark.RunAsync(args[1..]).ConfigureAwait(false),
        "store" => await StoreBenchmark.RunAsync(args[1..]).ConfigureAwait(false),
        // Started by `scheduling --server floor`, as gantry would be.
        "floor-server" => await ProtocolFloorServer.RunAsync(args[1..]).ConfigureAwait(false),
        _ => await PodStartupBenchmark.RunAsync(args[1..]).ConfigureAwait(false),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
