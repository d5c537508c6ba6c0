using System.Net;
using System.Text;
using Gantry.Bench.Measurement;
using Gantry.Bench.Scenarios;

namespace Gantry.Bench.PodStartup;

/// <summary>
/// Creates and deletes the bench's pods: busybox <c>sleep 3600</c>, bound to the node by
/// <c>spec.nodeName</c> (so no scheduler is involved), as an OCI container or, with
/// <c>runtimeClassName: process</c>, a confined host process.
/// </summary>
internal sealed class StartupPods(HttpClient client, string @namespace, string nodeName)
{
    public async Task CreateAsync(string runtime, string name, CancellationToken cancellationToken)
    {
        // Grace 1 s: sleep, as the init of its PID namespace, ignores SIGTERM, so this bounds each
        // teardown; 0 would ask the server to skip the agent's graceful stop.
        var runtimeClass = runtime == "oci" ? "" : $"\"runtimeClassName\":\"{runtime}\",";
        var json =
            $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{@namespace}}}","labels":{"app":"bench-startup"}},"spec":{"nodeName":"{{{nodeName}}}",{{{runtimeClass}}}"terminationGracePeriodSeconds":1,"containers":[{"name":"main","image":"busybox","command":["sleep","3600"]}]}}""";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(KubeApi.PodsPath(@namespace), UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new BenchRequestException($"POST pod {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await client.DeleteAsync(new Uri($"{KubeApi.PodsPath(@namespace)}/{name}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NotFound))
        {
            throw new BenchRequestException($"DELETE pod {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }
}
