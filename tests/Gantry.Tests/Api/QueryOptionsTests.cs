using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Gantry.Tests.Api;

public sealed class QueryOptionsTests
{
    [Fact]
    public void The_fieldManager_parameter_names_the_manager()
    {
        Assert.Equal("mine", QueryOptions.Write(Request("?fieldManager=mine", "curl/8.0")).FieldManager);
    }

    [Fact]
    public void Without_a_fieldManager_the_manager_is_the_user_agent_up_to_its_first_slash()
    {
        Assert.Equal("kubelet", QueryOptions.Write(Request("", "kubelet/v1.32.0 (linux/amd64) kubernetes/abcdef")).FieldManager);
        Assert.Equal("kubectl-create", QueryOptions.Write(Request("?fieldManager=kubectl-create", "kubectl/v1.32.0")).FieldManager);
    }

    [Fact]
    public void A_user_agent_manager_keeps_at_most_128_characters()
    {
        Assert.Equal(new string('a', 128), QueryOptions.Write(Request("", new string('a', 200))).FieldManager);
    }

    [Fact]
    public void A_write_without_either_has_no_manager()
    {
        Assert.Null(QueryOptions.Write(Request("", null)).FieldManager);
    }

    private static DefaultHttpContext Request(string query, string? userAgent)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        if (userAgent is not null)
        {
            context.Request.Headers.UserAgent = userAgent;
        }

        return context;
    }
}
