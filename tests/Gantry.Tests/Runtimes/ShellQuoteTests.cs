using Gantry.Agent.Runtimes;
using Xunit;

namespace Gantry.Tests.Runtimes;

public sealed class ShellQuoteTests
{
    [Fact]
    public void Words_survive_the_shell_verbatim_quotes_and_all() =>
        Assert.Equal("'echo' 'it'\\''s $HOME' ''", ShellQuote.Join(["echo", "it's $HOME", ""]));
}
