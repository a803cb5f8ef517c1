namespace BandwidthOperator.Shaping.Tc;

/// <summary>A qdisc. <c>tc qdisc add dev {Device} parent {Parent} handle {Handle} {Options}</c>.</summary>
public sealed record Qdisc(string Device, TcHandle Handle, TcHandle Parent, QdiscOptions Options) : TcObject(Device)
{
    public override TcObjectKey Key => new(TcObjectType.Qdisc, Device, Handle.Value, Parent.Value);

    public string Kind => Options.Kind;
}
