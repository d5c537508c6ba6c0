using Gantry.Agent;
using Gantry.Agent.Images;
using Gantry.Agent.Images.Registry;

namespace Gantry.Cli;

/// <summary>
/// <c>gantry image import|ls|rm|pull</c>: the node's image store, the same one the agent of
/// <c>gantry up</c> / <c>gantry agent</c> with the same <c>--data-dir</c> runs containers from
/// (DATA_DIR/agent/images). Safe while that agent runs: the store locks across processes.
/// </summary>
public static class ImageCommand
{
    public const string Usage = """
          gantry image import FILE [--name NAME] [--data-dir DIR]
                                                            load a docker save / OCI archive or OCI layout directory
          gantry image ls [--data-dir DIR]                  list the node's images
          gantry image rm REF... [--data-dir DIR]           remove images (refused while a container uses one)
          gantry image pull REF [--insecure] [--data-dir DIR]
                                                            pull from a registry (HTTP for localhost or --insecure);
                                                            progress on stderr, the image ID on stdout
        """;

    private static readonly string[] ListHeader = ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine("Usage:");
            Console.WriteLine(Usage);
            return 0;
        }

        var arguments = ImageArguments.Parse(args);
        using var store = new ImageStore(ImageStore.PathIn(AgentOptions.StateDirectoryIn(arguments.DataDirectory)));
        using var stop = new CancellationTokenSource();
        using var signals = Signals.StopOn(stop);
        try
        {
            return arguments.Subcommand switch
            {
                "import" or "load" => await ImportAsync(store, arguments, stop.Token).ConfigureAwait(false),
                "ls" or "list" => await ListAsync(store, arguments, stop.Token).ConfigureAwait(false),
                "rm" or "remove" => await RemoveAsync(store, arguments, stop.Token).ConfigureAwait(false),
                "pull" => await PullAsync(store, arguments, stop.Token).ConfigureAwait(false),
                _ => throw new UsageException($"unknown image subcommand \"{arguments.Subcommand}\"; use import, ls, rm or pull"),
            };
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("error: interrupted");
            return 130;
        }
    }

    private static async Task<int> ImportAsync(ImageStore store, ImageArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Positional.Count != 1)
        {
            throw new UsageException("gantry image import needs exactly one FILE (a docker save or OCI archive, or an OCI layout directory)");
        }

        IReadOnlyList<ImageRecord> images;
        try
        {
            images = await store.ImportAsync(arguments.Positional[0], arguments.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or NotSupportedException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"error: cannot import {arguments.Positional[0]}: {ex.Message}");
            return 1;
        }

        foreach (var image in images)
        {
            Console.Out.WriteLine(image.Names.Count == 0
                ? $"Loaded image ID: {image.Id}"
                : string.Join(Environment.NewLine, image.Names.Select(n => $"Loaded image: {n}")));
        }

        return 0;
    }

    private static async Task<int> ListAsync(ImageStore store, ImageArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Positional.Count > 0)
        {
            throw new UsageException("gantry image ls takes no arguments");
        }

        var rows = ImageListing.Rows(await store.ListAsync(cancellationToken).ConfigureAwait(false), store.SizeOf, DateTimeOffset.UtcNow);
        var table = new List<string[]> { ListHeader };
        table.AddRange(rows.Select(r => new[] { r.Repository, r.Tag, r.ImageId, r.Created, r.Size }));
        var widths = Enumerable.Range(0, 5).Select(c => table.Max(row => row[c].Length)).ToArray();
        foreach (var row in table)
        {
            Console.Out.WriteLine(string.Join("   ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))));
        }

        return 0;
    }

    private static async Task<int> RemoveAsync(ImageStore store, ImageArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Positional.Count == 0)
        {
            throw new UsageException("gantry image rm needs at least one image reference (a name or an ID)");
        }

        var failed = false;
        foreach (var reference in arguments.Positional)
        {
            var image = await store.FindAsync(reference, cancellationToken).ConfigureAwait(false);
            try
            {
                if (image is null || !await store.RemoveAsync(reference, cancellationToken).ConfigureAwait(false))
                {
                    Console.Error.WriteLine($"Error: No such image: {reference}");
                    failed = true;
                    continue;
                }
            }
            catch (ImageInUseException ex)
            {
                Console.Error.WriteLine($"Error: conflict: unable to remove {ex.Message}");
                failed = true;
                continue;
            }

            var normalized = ImageReference.Normalize(reference);
            var untagged = image.Names.Contains(normalized, StringComparer.Ordinal) && image.Names.Count > 1 ? [normalized] : image.Names;
            foreach (var name in untagged)
            {
                Console.Out.WriteLine($"Untagged: {name}");
            }

            if (untagged.Count == image.Names.Count)
            {
                Console.Out.WriteLine($"Deleted: {image.Id}");
            }
        }

        return failed ? 1 : 0;
    }

    private static async Task<int> PullAsync(ImageStore store, ImageArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Positional.Count != 1)
        {
            throw new UsageException("gantry image pull needs exactly one image reference, like busybox:1.36 or 127.0.0.1:5000/team/app:1");
        }

        var reference = arguments.Positional[0];
        using var puller = new ImagePuller(store);
        try
        {
            var parsed = RegistryReference.Parse(reference);
            Console.Error.WriteLine($"{parsed.ManifestReference}: Pulling from {parsed.Repository}");
            var progress = new ImagePullProgressPrinter(Console.Error, terminal: !Console.IsErrorRedirected);
            var result = await puller.PullAsync(reference, arguments.Insecure, progress, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"Digest: {result.Digest}");
            Console.Error.WriteLine(result.UpToDate ? $"Status: Image is up to date for {result.Name}" : $"Status: Downloaded newer image for {result.Name}");
            Console.Out.WriteLine(result.Image.Id);
            return 0;
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"error: invalid reference \"{reference}\": {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is RegistryException or InvalidDataException or IOException or NotSupportedException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"error: failed to pull {reference}: {ex.Message}");
            return 1;
        }
    }
}
