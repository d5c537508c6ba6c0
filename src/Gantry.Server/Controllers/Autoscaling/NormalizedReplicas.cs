namespace Gantry.Server.Controllers.Autoscaling;

/// <summary>
/// A desired replica count once stabilized and limited, with the two conditions kube's normalization sets in kube's
/// words: <c>AbleToScale</c> (status True) with <see cref="StabilizationReason"/> and
/// <see cref="StabilizationMessage"/>, and <c>ScalingLimited</c> with <see cref="Limited"/>, <see cref="Reason"/> and
/// <see cref="Message"/>.
/// </summary>
public sealed record NormalizedReplicas(
    int Replicas, string StabilizationReason, string StabilizationMessage, bool Limited, string Reason, string Message)
{
    /// <summary>The <c>ScalingLimited</c> condition's status.</summary>
    public string LimitedStatus => Limited ? "True" : "False";
}
