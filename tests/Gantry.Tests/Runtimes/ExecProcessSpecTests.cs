using System.Text.Json.Nodes;
using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Oci;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ExecProcessSpecTests
{
    private const string Config = """
        {"ociVersion":"1.0.2","process":{"terminal":false,"user":{"uid":1000,"gid":2000,"additionalGids":[3000]},
        "args":["sleep","3600"],"env":["PATH=/bin","HOSTNAME=web"],"cwd":"/srv","noNewPrivileges":true},"root":{"path":"rootfs"}}
        """;

    private static JsonObject Build(ExecRequest request) => JsonNode.Parse(ExecProcessSpec.Build(Config, request))!.AsObject();

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Fact]
    public void The_command_runs_as_the_containers_own_process_with_its_user_environment_and_working_directory()
    {
        var process = Build(new ExecRequest(["ls", "-l"]));

        Assert.Equal(["ls", "-l"], Strings(process["args"]));
        Assert.Equal(["PATH=/bin", "HOSTNAME=web"], Strings(process["env"]));
        Assert.Equal("/srv", process["cwd"]!.GetValue<string>());
        Assert.Equal(1000, process["user"]!["uid"]!.GetValue<int>());
        Assert.True(process["noNewPrivileges"]!.GetValue<bool>());
        Assert.False(process["terminal"]!.GetValue<bool>());
        Assert.Null(process["consoleSize"]);
        Assert.Null(process["root"]);
    }

    [Fact]
    public void On_a_terminal_the_command_gets_TERM_and_starts_at_the_clients_size()
    {
        var process = Build(new ExecRequest(["sh"], Tty: true, Columns: 123, Rows: 45));

        Assert.True(process["terminal"]!.GetValue<bool>());
        Assert.Equal("TERM=xterm", Strings(process["env"])[^1]);
        Assert.Equal((45, 123), (process["consoleSize"]!["height"]!.GetValue<int>(), process["consoleSize"]!["width"]!.GetValue<int>()));
    }

    [Fact]
    public void A_terminal_with_no_size_yet_gets_none()
    {
        var process = Build(new ExecRequest(["sh"], Tty: true));

        Assert.Null(process["consoleSize"]);
    }
}
