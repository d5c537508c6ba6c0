namespace Gantry.Server.Controllers;

/// <summary>
/// How a job is about to finish (kube's finishedCondition): the interim condition, FailureTarget or SuccessCriteriaMet,
/// is stored with the pods still uncounted, and the terminal one, Failed or Complete, once all of them are counted and
/// none of the job's pods is terminating (kube's enactJobFinished with delayTerminalCondition on, as in 1.32).
/// </summary>
public sealed record JobEnding(bool Failed, string Reason, string Message)
{
    public string InterimType => Failed ? JobConditions.FailureTarget : JobConditions.SuccessCriteriaMet;

    public string TerminalType => Failed ? JobConditions.Failed : JobConditions.Complete;

    public static JobEnding Failure(string reason, string message) => new(true, reason, message);
}
