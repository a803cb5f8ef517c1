namespace BandwidthOperator.Shaping.Tc;

/// <summary>Helpers over the tc object records.</summary>
public static class TcObjectExtensions
{
    /// <summary>The parent handle of a qdisc, class or filter; null for an IFB device.</summary>
    public static TcHandle? Parent(this TcObject o) => o switch
    {
        Qdisc q => q.Parent,
        HtbClass c => c.Parent,
        U32Filter f => f.Parent,
        _ => null,
    };
}
