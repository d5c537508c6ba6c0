using Gantry.Agent.Images;
using Gantry.Agent.Runtimes.Oci;
using Gantry.Agent.Runtimes.Processes;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Runtimes;

/// <summary>
/// The node's container runtimes by RuntimeClass handler (<c>oci</c>, <c>process</c>) over one agent state
/// directory: what the agent runs pods with, and what <c>gantry reset</c> finds the same containers through.
/// </summary>
public static class NodeRuntimes
{
    public static IReadOnlyDictionary<string, IContainerRuntime> Create(
        string stateDirectory, PodSandboxes sandboxes, ImageStore images, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var options = new RuntimeOptions
        {
            StateDirectory = Path.Combine(stateDirectory, AgentLayout.Containers),
            LogDirectory = Path.Combine(stateDirectory, AgentLayout.Logs),
        };
        return new Dictionary<string, IContainerRuntime>
        {
            ["oci"] = new OciRuntime(options, new OciRuntimeOptions(), sandboxes, images, time, loggerFactory.CreateLogger<OciRuntime>()),
            ["process"] = new ProcessRuntime(options, sandboxes, time, loggerFactory.CreateLogger<ProcessRuntime>()),
        };
    }
}
