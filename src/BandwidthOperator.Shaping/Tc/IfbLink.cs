namespace BandwidthOperator.Shaping.Tc;

/// <summary>An IFB device the agent creates to shape a device's ingress: <c>ip link add {Device} type ifb; ip link set {Device} up</c>.</summary>
public sealed record IfbLink(string Device) : TcObject(Device)
{
    public override TcObjectKey Key => new(TcObjectType.IfbLink, Device, 0);
}
