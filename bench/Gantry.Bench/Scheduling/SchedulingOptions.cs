using System.Globalization;

namespace Gantry.Bench.Scheduling;

/// <summary>Flags of <c>Gantry.Bench scheduling</c>.</summary>
internal sealed record SchedulingOptions(int Nodes, int Pods, bool AntiAffinity, int Groups, int Creators, bool ThroughReplicationControllers, string Server, IReadOnlySet<string> Only, string DataRoot, TimeSpan Timeout)
{
    public const string Usage =
        """
        usage: Gantry.Bench scheduling [flags]
          --nodes N              simulated nodes (default 500; 4 cpu, 16Gi, 110 pods each)
          --pods N               pods to place (default 5000; 10m cpu, 16Mi each)
          --anti-affinity        every pod has a required podAntiAffinity on kubernetes.io/hostname
                                 against the pods of its group (at most one per node per group)
          --groups N             anti-affinity groups (default 2 x pods/nodes, so a group fills at most half the nodes)
          --creators N           concurrent pod creations (default 64)
          --create pods|rc       pods: the bench creates each pod through the API (default); rc: it creates
                                 replication controllers (one per group with --anti-affinity) and their
                                 controller creates the pods
          --server S             gantry (default); floor: the protocol floor, a server in this bench that takes the
                                 same requests over the same TLS and HTTP/2, decodes and encodes each object once,
                                 sends the same watch events and binds each pod to the next node, storing and checking
                                 nothing (the ceiling this machine and this load generator allow; pods only);
                                 floor-store: the same, committing to gantry's store first what must be durable
                                 (each pod version, each lease renewal, a Scheduled event per bind)
          --only a,b             framework (the scheduler alone, in-process) and/or api (end to end); default both
          --data-root DIR        where the server's data dir goes (default out/bench-data)
          --timeout SECONDS      give up waiting for binds after this long (default 600)
        """;

    /// <summary>Whether the server is the bench's protocol floor rather than gantry.</summary>
    public bool ProtocolFloor => Server != "gantry";

    public bool Runs(string phase) => Only.Count == 0 || Only.Contains(phase);

    public static SchedulingOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var options = new SchedulingOptions(500, 5000, false, 0, 64, false, "gantry", new HashSet<string>(StringComparer.Ordinal),
            Path.Combine(repositoryRoot, "out", "bench-data"), TimeSpan.FromSeconds(600));
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag == "--anti-affinity")
            {
                options = options with { AntiAffinity = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{flag} needs a value.\n{Usage}");
            }

            var value = args[++i];
            options = flag switch
            {
                "--nodes" => options with { Nodes = int.Parse(value, CultureInfo.InvariantCulture) },
                "--pods" => options with { Pods = int.Parse(value, CultureInfo.InvariantCulture) },
                "--groups" => options with { Groups = int.Parse(value, CultureInfo.InvariantCulture) },
                "--creators" => options with { Creators = int.Parse(value, CultureInfo.InvariantCulture) },
                "--create" => options with
                {
                    ThroughReplicationControllers = value switch
                    {
                        "rc" => true,
                        "pods" => false,
                        _ => throw new ArgumentException($"--create {value}: expected pods or rc.\n{Usage}"),
                    },
                },
                "--server" => value is "gantry" or "floor" or "floor-store"
                    ? options with { Server = value }
                    : throw new ArgumentException($"--server {value}: expected gantry, floor or floor-store.\n{Usage}"),
                "--only" => options with { Only = value.Split(',').ToHashSet(StringComparer.Ordinal) },
                "--data-root" => options with { DataRoot = Path.GetFullPath(value) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException($"unknown flag {flag}.\n{Usage}"),
            };
        }

        if (options.Groups == 0)
        {
            options = options with { Groups = Math.Max(1, 2 * (int)Math.Ceiling((double)options.Pods / options.Nodes)) };
        }

        if (options.ProtocolFloor && (options.ThroughReplicationControllers || options.AntiAffinity))
        {
            throw new ArgumentException($"--server {options.Server} places pods created directly, with no constraints: it has no controllers and no filters.\n{Usage}");
        }

        return options.AntiAffinity && (options.Pods + options.Groups - 1) / options.Groups > options.Nodes
            ? throw new ArgumentException($"--groups {options.Groups}: a group of {options.Pods / options.Groups} pods cannot fit one per node on {options.Nodes} nodes")
            : options;
    }
}
