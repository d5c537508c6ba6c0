namespace Gantry.Dev;

/// <summary>How <c>gantry dev cluster</c> lays out its cluster: how many hosts, where their state goes, the API port.</summary>
internal sealed record DevClusterOptions(int Nodes, string DataDirectory, int ApiPort)
{
    public string ServerDirectory => Path.Combine(DataDirectory, "server");

    public string KubeconfigPath => Path.Combine(ServerDirectory, "kubeconfig");

    public string PidFile => Path.Combine(DataDirectory, "dev-cluster.pids");

    public Uri ServerUrl => new($"https://{DevHosts.Address(0)}:{ApiPort}");

    public string HostDirectory(int index) => Path.Combine(DataDirectory, DevHosts.Name(index));
}
