using Gantry.Server.Registry.Quota;
using Xunit;

namespace Gantry.Tests.Registry.Quota;

/// <summary>Amounts as quota adds and masks them and prints them in its messages.</summary>
public sealed class ResourceAmountsTests
{
    [Theory]
    [InlineData("cpu", "0.5", "500m")]
    [InlineData("requests.cpu", "1.5", "1500m")]
    [InlineData("limits.cpu", "2", "2")]
    [InlineData("pods", "3", "3")]
    [InlineData("cpu", "0", "0")]
    [InlineData("cpu", "0.0000005", "500n")]
    public void A_quantity_that_is_no_amount_of_bytes_prints_with_decimal_suffixes(string name, string amount, string printed)
    {
        Assert.Equal(printed, ResourceAmounts.Format(name, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("memory", 1073741824, "1Gi")]
    [InlineData("requests.memory", 67108864, "64Mi")]
    [InlineData("limits.memory", 1536, "1536")]
    [InlineData("ephemeral-storage", 2048, "2Ki")]
    [InlineData("requests.storage", 5368709120, "5Gi")]
    [InlineData("hugepages-2Mi", 4194304, "4Mi")]
    [InlineData("memory", 0, "0")]
    public void An_amount_of_bytes_prints_with_a_binary_suffix_when_it_is_a_whole_multiple_of_1024(string name, long bytes, string printed)
    {
        Assert.Equal(printed, ResourceAmounts.Format(name, bytes));
    }

    [Fact]
    public void An_amount_of_bytes_that_is_no_multiple_of_1024_prints_in_decimal()
    {
        Assert.Equal("1500M", ResourceAmounts.Format("memory", 1_500_000_000));
    }

    [Fact]
    public void Print_sorts_the_names_and_joins_the_pairs_with_commas()
    {
        var amounts = ResourceAmounts.Empty();
        amounts["pods"] = 2;
        amounts["requests.memory"] = 1073741824;
        amounts["cpu"] = 0.5m;
        amounts["count/pods"] = 3;

        Assert.Equal("count/pods=3,cpu=500m,pods=2,requests.memory=1Gi", ResourceAmounts.Print(amounts));
    }

    [Fact]
    public void Nothing_prints_as_nothing()
    {
        Assert.Equal("", ResourceAmounts.Print(ResourceAmounts.Empty()));
    }

    [Fact]
    public void A_sum_adds_the_amounts_of_names_in_both_and_keeps_the_others()
    {
        var a = ResourceAmounts.Empty();
        a["cpu"] = 0.25m;
        a["pods"] = 1;
        var b = ResourceAmounts.Empty();
        b["cpu"] = 0.5m;
        b["memory"] = 1024;

        Assert.Equal("cpu=750m,memory=1Ki,pods=1", ResourceAmounts.Print(ResourceAmounts.Sum(a, b)));
    }

    [Fact]
    public void A_mask_keeps_only_the_named_amounts_that_are_there()
    {
        var amounts = ResourceAmounts.Empty();
        amounts["cpu"] = 1;
        amounts["pods"] = 1;

        Assert.Equal("pods=1", ResourceAmounts.Print(ResourceAmounts.Mask(amounts, ["pods", "services"])));
    }
}
