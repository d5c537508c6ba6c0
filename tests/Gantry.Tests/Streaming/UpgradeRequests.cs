using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Tests.Streaming;

/// <summary>Requests as they reach the agent from the API server, upgradable through an in-memory connection.</summary>
internal static class UpgradeRequests
{
    public static DefaultHttpContext Create(string method, string query, Stream serverEnd)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        context.Features.Set<IHttpUpgradeFeature>(new FakeUpgradeFeature(serverEnd));
        return context;
    }
}
