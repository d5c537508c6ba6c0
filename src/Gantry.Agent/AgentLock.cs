namespace Gantry.Agent;

/// <summary>
/// One agent per node: the agent holds an exclusive lock on a file in its state directory for as
/// long as it runs, so a second copy refuses to start instead of fighting over the same pods.
/// </summary>
public sealed class AgentLock : IDisposable
{
    private readonly FileStream _file;

    private AgentLock(FileStream file) => _file = file;

    public static AgentLock Acquire(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, "agent.lock");
        try
        {
            return new AgentLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"another gantry agent is already running with state directory {stateDirectory} (lock {path}); stop it first", ex);
        }
    }

    public void Dispose() => _file.Dispose();
}
