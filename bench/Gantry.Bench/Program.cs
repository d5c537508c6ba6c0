using Gantry.Bench;

if (args.Length == 0 || args[0] != "api")
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

try
{
    return await ApiBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
