using System.Net;
using Gantry.Agent.Policy;
using Xunit;

namespace Gantry.Tests.Agent.Policy;

/// <summary>The nftables transaction that puts a pod's firewall in force in the pod's network namespace.</summary>
public sealed class FirewallScriptTests
{
    private static readonly IPAddress[] Node = [IPAddress.Parse("10.42.0.1")];

    [Fact]
    public void An_open_firewall_removes_the_table()
    {
        Assert.Equal("add table inet gantry_network_policy\ndelete table inet gantry_network_policy\n", FirewallScript.Render(PodFirewall.Open, Node));
    }

    [Fact]
    public void An_isolated_direction_accepts_replies_loopback_the_node_and_its_rules_then_drops()
    {
        var firewall = new PodFirewall(
            [new FirewallRule([FirewallPeer.Address(IPAddress.Parse("10.42.0.11"))], [new FirewallPort("tcp", 80, 80), new FirewallPort("tcp", 8000, 8080)])],
            null);

        var script = FirewallScript.Render(firewall, Node);

        Assert.Equal(
            """
            add table inet gantry_network_policy
            delete table inet gantry_network_policy
            table inet gantry_network_policy {
              chain ingress {
                type filter hook input priority filter; policy accept;
                ct state established,related accept
                iif "lo" accept
                ip saddr { 10.42.0.1 } accept
                ip saddr { 10.42.0.11/32 } meta l4proto tcp th dport { 80, 8000-8080 } accept
                drop
              }
            }

            """.ReplaceLineEndings("\n"),
            script);
    }

    [Fact]
    public void The_pods_of_a_rule_are_one_set_on_one_line()
    {
        var firewall = new PodFirewall(
            [new FirewallRule([FirewallPeer.Address(IPAddress.Parse("10.42.0.11")), FirewallPeer.Address(IPAddress.Parse("10.42.0.12"))], null)], null);

        var script = FirewallScript.Render(firewall, Node);

        Assert.Contains("    ip saddr { 10.42.0.11/32, 10.42.0.12/32 } accept\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ip_block_with_exceptions_names_them()
    {
        var firewall = new PodFirewall(null, [new FirewallRule([new FirewallPeer(IPNetwork.Parse("10.0.0.0/8"), [IPNetwork.Parse("10.1.0.0/16")])], null)]);

        var script = FirewallScript.Render(firewall, Node);

        Assert.Contains("    ip daddr 10.0.0.0/8 ip daddr != { 10.1.0.0/16 } accept\n", script, StringComparison.Ordinal);
        Assert.Contains("type filter hook output priority filter; policy accept;", script, StringComparison.Ordinal);
    }
}
