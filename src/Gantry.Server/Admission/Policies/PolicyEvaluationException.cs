namespace Gantry.Server.Admission.Policies;

/// <summary>A policy's expression could not give an answer; the message is kube's, for the failure policy to judge.</summary>
public sealed class PolicyEvaluationException : Exception
{
    public PolicyEvaluationException() { }

    public PolicyEvaluationException(string message) : base(message) { }

    public PolicyEvaluationException(string message, Exception innerException) : base(message, innerException) { }
}
