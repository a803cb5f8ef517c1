namespace BandwidthOperator.Shaping.Tc;

/// <summary>Kinds of tc object, in the order they are created (links first, filters last).</summary>
public enum TcObjectType
{
    IfbLink = 0,
    Qdisc = 1,
    Class = 2,
    Filter = 3,
}
