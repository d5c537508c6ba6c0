using Gantry.Cli;

return await CommandLine.RunAsync(args).ConfigureAwait(false);
