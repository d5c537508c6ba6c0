using System.Security.Cryptography.X509Certificates;
using Gantry.Server.Security;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Security;

public sealed class RequestAuthenticationTests
{
    private const string AdminToken = "admin-token";

    private readonly X509Certificate2 _ca = TestCertificates.Authority();

    private RequestAuthentication Authentication() =>
        new(new TokenAuthentication(AdminToken), new ClientCertificateAuthenticator([_ca], TimeProvider.System));

    [Fact]
    public async Task A_trusted_client_certificate_names_the_user_before_a_bearer_token()
    {
        var context = Request("/api/v1/pods", TestCertificates.Client(_ca, "CN=jane"), AdminToken);

        var user = await PassedAsync(context);

        Assert.Equal("jane", user?.Name);
    }

    [Fact]
    public async Task A_refused_certificate_with_a_good_token_is_the_tokens_user()
    {
        var context = Request("/api/v1/pods", TestCertificates.Client(TestCertificates.Authority("stranger"), "CN=jane"), AdminToken);

        var user = await PassedAsync(context);

        Assert.Equal(RequestUser.Admin, user);
    }

    [Fact]
    public async Task A_refused_certificate_alone_is_unauthorized_even_for_the_anonymous_read()
    {
        var context = Request("/api/v1/namespaces/kube-public/configmaps/cluster-info", TestCertificates.Client(TestCertificates.Authority("stranger"), "CN=jane"));

        var user = await PassedAsync(context);

        Assert.Null(user);
        Assert.Equal(401, context.Response.StatusCode);
    }

    private static DefaultHttpContext Request(string path, X509Certificate2 certificate, string? token = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Connection.ClientCertificate = certificate;
        context.Response.Body = new MemoryStream();
        if (token is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + token;
        }

        return context;
    }

    /// <summary>The user the request went on as, or null when it was answered without going on.</summary>
    private async Task<RequestUser?> PassedAsync(HttpContext context)
    {
        RequestUser? passed = null;
        await Authentication().InvokeAsync(context, () =>
        {
            passed = RequestUser.Of(context);
            return Task.CompletedTask;
        });
        return passed;
    }
}
