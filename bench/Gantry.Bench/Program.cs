using Gantry.Bench;
using Gantry.Bench.PodStartup;

const string usage = "usage: Gantry.Bench api|pod-startup [flags]; --help after the scenario lists them";
if (args.Length == 0 || args[0] is not ("api" or "pod-startup"))
{
    Console.Error.WriteLine(usage);
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine(PodStartupOptions.Usage);
    return 2;
}

try
{
    return args[0] == "api"
        ? await ApiBenchmark.RunAsync(args[1..]).ConfigureAwait(false)
        : await PodStartupBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
