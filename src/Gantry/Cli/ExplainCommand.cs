using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gantry.Server.Security;
using k8s;

namespace Gantry.Cli;

/// <summary>
/// <c>gantry explain pod NAME [-n NAMESPACE]</c>: asks the server where the scheduler would place
/// the pod and prints, per node, the filter that refused it and why, or its scores.
/// </summary>
public static class ExplainCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var positional = new List<string>();
        var rest = new List<string>();
        var ns = "default";
        string? kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-n" or "--namespace" when i + 1 < args.Length:
                    ns = args[++i];
                    break;
                case "--kubeconfig" when i + 1 < args.Length:
                    kubeconfig = args[++i];
                    break;
                case var flag when flag.StartsWith("--", StringComparison.Ordinal):
                    rest.Add(flag);
                    if (!flag.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                    {
                        rest.Add(args[++i]);
                    }

                    break;
                default:
                    positional.Add(args[i]);
                    break;
            }
        }

        if (positional is not [("pod" or "pods" or "po"), var name])
        {
            throw new UsageException("usage: gantry explain pod NAME [-n NAMESPACE] [--kubeconfig FILE | --data-dir DIR]");
        }

        var flags = Flags.Parse([.. rest]);
        if (rest.Any(r => r.StartsWith("--data-dir", StringComparison.Ordinal)) || string.IsNullOrEmpty(kubeconfig))
        {
            kubeconfig = Kubeconfig.PathIn(flags.DataDirectory);
        }

        if (!File.Exists(kubeconfig))
        {
            Console.Error.WriteLine($"error: no kubeconfig at {kubeconfig}; start the cluster with 'gantry up' or pass --kubeconfig");
            return 1;
        }

        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        using var client = new Kubernetes(config);
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(client.BaseUri, $"gantry/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(name)}/explain"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);
        using var response = await client.HttpClient.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var json = JsonNode.Parse(body)!.AsObject();
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"Error from server ({json["reason"]}): {json["message"]}");
            return 1;
        }

        Print(json);
        return 0;
    }

    private static void Print(JsonObject explanation)
    {
        var pod = $"{explanation["namespace"]}/{explanation["pod"]}";
        var bound = explanation["boundTo"]?.GetValue<string>();
        var choice = explanation["wouldChoose"]?.GetValue<string>();
        Console.WriteLine(bound is not null ? $"Pod {pod} is bound to {bound}." : $"Pod {pod} is not bound.");
        if (explanation["gang"] is JsonObject gang)
        {
            Console.WriteLine($"It belongs to gang {gang["name"]} of {gang["size"]} pods: {gang["present"]} exist, {gang["bound"]} bound; " +
                              "its waiting pods are placed all together or not at all.");
        }

        Console.WriteLine(choice is not null
            ? $"The scheduler would place it on {choice} now."
            : $"The scheduler cannot place it now: {explanation["message"]}");
        Console.WriteLine();

        var nodes = explanation["nodes"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var plugins = nodes.SelectMany(n => n["scores"]!.AsObject().Select(s => s.Key)).Distinct().ToList();
        var rows = new List<string[]> { (string[])["NODE", "RESULT", .. plugins.Select(p => p.ToUpperInvariant()), "TOTAL"] };
        foreach (var node in nodes)
        {
            var feasible = node["feasible"]!.GetValue<bool>();
            var result = feasible
                ? "feasible"
                : $"refused by {node["refusedBy"]}: {string.Join("; ", node["reasons"]!.AsArray().Select(r => r!.GetValue<string>()))}";
            var scores = node["scores"]!.AsObject();
            rows.Add([
                node["node"]!.GetValue<string>(),
                result,
                .. plugins.Select(p => scores[p]?.ToString() ?? "-"),
                feasible ? node["total"]!.ToString() : "-",
            ]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToList();
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("   ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c], ' '))).TrimEnd());
        }
    }
}
