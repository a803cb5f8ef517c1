namespace BandwidthOperator.ApiServerDouble.Faults;

/// <summary>What a <see cref="FaultRule"/> does to the requests it takes.</summary>
internal enum FaultKind
{
    /// <summary>Answer with an error status.</summary>
    Fail,

    /// <summary>Wait before serving.</summary>
    Latency,

    /// <summary>Answer a write with 409 Conflict on the object.</summary>
    Conflict,
}
