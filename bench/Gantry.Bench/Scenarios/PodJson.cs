using System.Text;

namespace Gantry.Bench.Scenarios;

/// <summary>
/// A small but realistic pod, as kubectl would send it for a one-container deployment:
/// labels, a port, env, requests and limits, a readiness probe.
/// </summary>
internal static class PodJson
{
    private const string Template =
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"@NAME@","namespace":"@NS@","labels":{"app":"bench","tier":"web","pod-template-hash":"5d4f8c7b9"},"annotations":{"bench.gantry.dev/purpose":"api latency"}},"spec":{"containers":[{"name":"app","image":"registry.k8s.io/pause:3.10","ports":[{"containerPort":8080,"protocol":"TCP"}],"env":[{"name":"MODE","value":"bench"}],"resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}},"readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":5}}],"restartPolicy":"Always","terminationGracePeriodSeconds":30}}""";

    public static ByteArrayContent Content(string @namespace, string name)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Template.Replace("@NAME@", name, StringComparison.Ordinal).Replace("@NS@", @namespace, StringComparison.Ordinal)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
