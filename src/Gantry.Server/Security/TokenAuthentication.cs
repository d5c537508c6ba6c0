using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Security;

/// <summary>
/// Bearer-token authentication. Health endpoints are public, as they are for the apiserver's
/// anonymous probes; everything else needs a known token and gets 401 Unauthorized otherwise.
/// </summary>
public sealed class TokenAuthentication(string adminToken)
{
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(adminToken);

    public static bool IsPublic(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/livez");

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (IsPublic(context.Request.Path) || IsAuthenticated(context.Request.Headers.Authorization.ToString()))
        {
            await next().ConfigureAwait(false);
            return;
        }

        await HttpResponses.WriteJsonAsync(context, 401, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = "Unauthorized",
            ["reason"] = "Unauthorized",
            ["code"] = 401,
        }).ConfigureAwait(false);
    }

    private bool IsAuthenticated(string header)
    {
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(header[prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _admin);
    }
}
