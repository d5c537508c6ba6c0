namespace Gantry.Cli;

/// <summary>A command line the user must correct; its message says how.</summary>
public sealed class UsageException(string message) : Exception(message);
