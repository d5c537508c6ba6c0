using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Mesos;

/// <summary>An HTTP answer to a call (a scheduler's or an operator's) that Mesos' master refuses, with its text.</summary>
public sealed record MesosCallError(int Status, string Message)
{
    /// <summary>The refusal as Mesos' master answers it: the status and the text alone.</summary>
    public async Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = Status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Message), context.RequestAborted).ConfigureAwait(false);
    }
}
