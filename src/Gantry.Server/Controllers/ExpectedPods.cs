namespace Gantry.Server.Controllers;

/// <summary>
/// What a budget counts against: the pods it expects, how many of them must stay healthy, and the selected pods that
/// no controller owns (left out of a scale-based count, which is why kube warns about them).
/// </summary>
internal sealed record ExpectedPods(int Count, int DesiredHealthy, IReadOnlyList<string> Unmanaged);
