namespace BandwidthOperator.Lab.Traffic;

/// <summary>Knobs of a <see cref="TrafficRun"/>; the defaults keep CPU low at a few hundred Mbit/s.</summary>
public sealed record TrafficOptions
{
    public static TrafficOptions Default { get; } = new();

    /// <summary>Size of each send() (64 KiB).</summary>
    public int WriteBytes { get; init; } = 64 * 1024;

    /// <summary>SO_SNDBUF of the senders (capped by net.core.wmem_max); 0 keeps autotuning.</summary>
    public int SendBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Size of each receive() buffer.</summary>
    public int ReadBytes { get; init; } = 256 * 1024;

    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long connecting all streams may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Called after every sample interval with each group's goodput over that interval (in the order of
    /// the groups) and the time since the streams began: for a live display. Runs on the sampling loop; keep it short.
    /// </summary>
    public Action<TimeSpan, IReadOnlyList<Api.Quantities.BitRate>>? OnSample { get; init; }

    /// <summary>TCP congestion control of the senders (TCP_CONGESTION, e.g. "cubic"); null keeps the namespace default.</summary>
    public string? CongestionControl { get; init; }
}
