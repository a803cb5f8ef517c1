using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// The outcome of <see cref="TcKernel.Apply"/>: how many operations (from the start of the plan)
/// succeeded, how many requests were written to the kernel, and the first failure.
/// </summary>
/// <param name="Succeeded">Operations from the start of the plan that the kernel carried out, up to the first failure.</param>
/// <param name="KernelWrites">Requests sent to the kernel (0 when the plan was empty).</param>
/// <param name="Error">The first failure, or null when every operation succeeded.</param>
/// <param name="FailedOperation">The operation that failed first.</param>
/// <param name="LaterErrors">
/// The kernel carries out every request of a batch even after one fails; failures of later requests
/// in the same batch are listed here (no further batch is sent after a failure).
/// </param>
public sealed record ApplyResult(
    int Succeeded,
    int KernelWrites,
    TcKernelException? Error,
    TcOperation? FailedOperation,
    IReadOnlyList<TcKernelException> LaterErrors)
{
    public bool Ok => Error is null;

    /// <summary>
    /// With echo asked for (<see cref="TcKernel.Apply(IReadOnlyList{TcOperation}, LinkSnapshot?, bool)"/>): each qdisc,
    /// class and filter the batch added or changed as the kernel echoed it, with counters, sorted by key;
    /// <see cref="TcSnapshot.ForeignObjects"/> names those acknowledged without an echo. Null without echo.
    /// </summary>
    public TcSnapshot? Echoed { get; init; }

    /// <summary>Throws <see cref="Error"/> when the apply failed.</summary>
    public void ThrowIfFailed()
    {
        if (Error is not null)
        {
            throw Error;
        }
    }
}
