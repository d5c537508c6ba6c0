using System.Text.Json;
using Gantry.Core.Patching;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Api;

/// <summary>Turns every failure below the HTTP edge into a Kubernetes Status answer.</summary>
public sealed class ApiErrorHandling(ILogger<ApiErrorHandling> logger)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        try
        {
            await next().ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var error = ex switch
            {
                ApiException api => api,
                PatchException patch => new ApiException(422, "Invalid", patch.Message),
                JsonException json => ApiException.BadRequest(json.Message),
                OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
                _ => null,
            };
            if (error is null)
            {
                if (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }

                logger.LogError(ex, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
                error = new ApiException(500, "InternalError", $"Internal error occurred: {ex.Message}");
            }

            await HttpResponses.WriteStatusAsync(context, error).ConfigureAwait(false);
        }
    }
}
