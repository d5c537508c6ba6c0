using Xunit;
using static Gantry.Tests.Cel.CelTestHelper;

namespace Gantry.Tests.Cel;

public sealed class ListLibraryTests
{
    [Theory]
    [InlineData("[1, 2, 2, 3].isSorted()", true)]
    [InlineData("['b', 'a'].isSorted()", false)]
    [InlineData("[].isSorted()", true)]
    public void Is_sorted(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Sum_min_max()
    {
        Assert.Equal(6L, Eval("[1, 2, 3].sum()"));
        Assert.Equal(1.5, Eval("[1.0, 0.5].sum()"));
        Assert.Equal(0L, Eval("[].sum()"));
        Assert.Equal(TimeSpan.FromSeconds(3), Eval("[duration('1s'), duration('2s')].sum()"));
        Assert.Equal(1L, Eval("[3, 1, 2].min()"));
        Assert.Equal("c", Eval("['a', 'c', 'b'].max()"));
        Assert.Contains("empty list", Error("[].min()"));
    }

    [Fact]
    public void Index_of_and_last_index_of_use_equality()
    {
        Assert.Equal(1L, Eval("[1, 2, 3, 2].indexOf(2)"));
        Assert.Equal(3L, Eval("[1, 2, 3, 2].lastIndexOf(2.0)"));
        Assert.Equal(-1L, Eval("[1, 2].indexOf('x')"));
    }

    [Theory]
    [InlineData("sets.contains([1, 2, 3], [2, 3])", true)]
    [InlineData("sets.contains([1, 2], [3])", false)]
    [InlineData("sets.contains([1], [])", true)]
    [InlineData("sets.equivalent([1, 2, 2], [2, 1])", true)]
    [InlineData("sets.equivalent([1], [1, 2])", false)]
    [InlineData("sets.intersects([1, 2], [2, 3])", true)]
    [InlineData("sets.intersects([1], [2])", false)]
    [InlineData("sets.contains([1], [1.0])", true)]
    public void Sets_extension(string expression, bool expected) => Assert.Equal(expected, Eval(expression));
}
