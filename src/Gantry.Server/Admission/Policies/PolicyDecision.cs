namespace Gantry.Server.Admission.Policies;

/// <summary>
/// A refusal one evaluation of a policy gives (kube's deny decision): a validation that failed, or an expression that
/// could not give an answer under <c>failurePolicy: Fail</c>.
/// </summary>
/// <param name="Reason">The Status reason the refusal asks for; kube's <c>Invalid</c> where null.</param>
/// <param name="Always">Whether it refuses the request whatever the binding's <c>validationActions</c> (a broken audit annotation).</param>
public sealed record PolicyDecision(string Message, string? Reason = null, bool Always = false);
