using System.Text;
using Gantry.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/healthz</c>, <c>/livez</c> and <c>/readyz</c> as kube-apiserver answers them: <c>ok</c> while every check
/// passes (each check on a line with <c>?verbose</c>); otherwise 500, every check on a line, the failed ones as
/// <c>[-]NAME failed: reason withheld</c>, and <c>ENDPOINT check failed</c>. The checks: <c>ping</c>, and <c>store</c>,
/// which fails once the store has stopped accepting writes (only a restart brings it back, which is what a liveness
/// probe is for).
/// </summary>
public sealed class HealthEndpoint(IVersionedStore store)
{
    public static bool Matches(string[] segments) =>
        segments.Length == 1 && segments[0] is "healthz" or "livez" or "readyz";

    public Task HandleAsync(HttpContext context, string endpoint)
    {
        var storeHealthy = store.Failure is null;
        if (storeHealthy && !context.Request.Query.ContainsKey("verbose"))
        {
            return Reply(context, 200, "ok");
        }

        var checks = new StringBuilder("[+]ping ok\n")
            .Append(storeHealthy ? "[+]store ok\n" : "[-]store failed: reason withheld\n")
            .Append(endpoint)
            .Append(storeHealthy ? " check passed\n" : " check failed\n");
        return Reply(context, storeHealthy ? 200 : 500, checks.ToString());
    }

    private static Task Reply(HttpContext context, int status, string body) =>
        HttpResponses.WriteBytesAsync(context, status, Encoding.UTF8.GetBytes(body), "text/plain; charset=utf-8");
}
