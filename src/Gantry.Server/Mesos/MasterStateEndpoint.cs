using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Mesos;

/// <summary>
/// <c>GET /master/state</c> (and <c>/master/state.json</c>, its older name): what the master knows, as Mesos' master
/// shows it to operators and to tools such as Mesos-DNS.
/// </summary>
public sealed class MasterStateEndpoint(MesosMaster master)
{
    public static bool Matches(string[] segments) => segments is ["master", "state" or "state.json"];

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var (status, body, contentType) =
            !HttpMethods.IsGet(request.Method) ? (405, $"Expecting 'GET', received '{request.Method}'", "text/plain; charset=utf-8")
            : !master.Recovered ? (503, "Master has not finished recovery", "text/plain; charset=utf-8")
            : (200, master.State(request.Host.Host, request.Host.Value ?? "").ToJsonString(), "application/json");
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted).ConfigureAwait(false);
    }
}
