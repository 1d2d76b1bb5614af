namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// A part of the service that can declare this replica unfit for traffic: <c>/readyz</c> answers 503 while any
/// registered contributor gives a reason. Register one as <c>IReadinessContributor</c> next to the capability it watches.
/// </summary>
internal interface IReadinessContributor
{
    /// <summary>Null while ready; otherwise a short kind (e.g. <c>log-integrity</c>) for the readiness answer.</summary>
    string? NotReadyReason { get; }
}
