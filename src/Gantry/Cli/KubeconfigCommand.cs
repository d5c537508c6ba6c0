using Gantry.Server.Security;

namespace Gantry.Cli;

/// <summary><c>gantry kubeconfig</c>: prints the admin kubeconfig written by the server.</summary>
public static class KubeconfigCommand
{
    public static int Run(Flags flags)
    {
        var path = Kubeconfig.PathIn(flags.DataDirectory);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: no kubeconfig at {path}; start the cluster first with 'gantry up --data-dir {flags.DataDirectory}'");
            return 1;
        }

        Console.Out.Write(File.ReadAllText(path));
        return 0;
    }
}
