namespace BandwidthOperator.Netlink;

/// <summary>What the kernel offers, found by really creating each thing on a throw-away IFB device (<see cref="TcKernel.Probe"/>).</summary>
public sealed record KernelFeatures(
    bool Ifb,
    bool Htb,
    bool Tbf,
    bool Pfifo,
    bool Bfifo,
    bool Sfq,
    bool FqCodel,
    bool Ingress,
    bool Clsact,
    bool U32,
    bool Mirred)
{
    /// <summary>The best leaf qdisc kind available: fq_codel, then sfq, then pfifo (null when none works).</summary>
    public string? BestLeafQdisc => FqCodel ? "fq_codel" : Sfq ? "sfq" : Pfifo ? "pfifo" : null;
}
