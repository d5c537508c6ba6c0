namespace Gantry.Server.Admission.Policies;

/// <summary>A policy or binding cannot be applied to a request (kube's configuration errors); the message is kube's.</summary>
public sealed class PolicyConfigurationException : Exception
{
    public PolicyConfigurationException() { }

    public PolicyConfigurationException(string message) : base(message) { }

    public PolicyConfigurationException(string message, Exception innerException) : base(message, innerException) { }
}
