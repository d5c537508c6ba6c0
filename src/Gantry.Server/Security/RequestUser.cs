using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Security;

/// <summary>
/// Who sent a request, named as kube-apiserver's authenticators name users. The admin token is <c>system:admin</c> in
/// <c>system:masters</c>. A bootstrap token is <c>system:bootstrap:&lt;id&gt;</c> in <c>system:bootstrappers</c> and,
/// because Gantry's agents keep the token they joined with where a kubelet would trade it for a node certificate,
/// in <c>system:nodes</c> too. The one anonymous read (cluster-info) is <c>system:anonymous</c>.
/// </summary>
/// <param name="TokenId">The id of the bootstrap token the user authenticated with; null for other users.</param>
public sealed record RequestUser(string Name, IReadOnlyList<string> Groups, string? TokenId = null)
{
    public const string Masters = "system:masters";

    public const string Nodes = "system:nodes";

    public const string Bootstrappers = "system:bootstrappers";

    public const string Authenticated = "system:authenticated";

    public const string Unauthenticated = "system:unauthenticated";

    public static readonly RequestUser Admin = new("system:admin", [Masters, Authenticated]);

    public static readonly RequestUser Anonymous = new("system:anonymous", [Unauthenticated]);

    public static RequestUser BootstrapToken(string id) => new("system:bootstrap:" + id, [Bootstrappers, Nodes, Authenticated], id);

    public bool IsIn(string group) => Groups.Contains(group, StringComparer.Ordinal);

    /// <summary>The user authentication attached to the request; anonymous when none was.</summary>
    public static RequestUser Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<RequestUser>() ?? Anonymous;
    }

    public void AttachTo(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Features.Set(this);
    }
}
