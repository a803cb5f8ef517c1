namespace BandwidthOperator.Shaping.Tc;

/// <summary>
/// Something the kernel's traffic control keeps on a device: a qdisc, a class, a filter, or (for
/// outbound shaping) the IFB device itself. Desired and observed trees are made of the same records,
/// so a diff is a comparison of values.
/// </summary>
public abstract record TcObject(string Device)
{
    /// <summary>What identifies the object on its device, independent of its parameters.</summary>
    public abstract TcObjectKey Key { get; }
}
