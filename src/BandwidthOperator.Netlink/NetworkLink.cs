namespace BandwidthOperator.Netlink;

/// <summary>A network device as <c>ip -d link show</c> lists it: index, name, kind (<c>bridge</c>, <c>ifb</c>, <c>veth</c>, or null), state, master.</summary>
public sealed record NetworkLink(int Index, string Name, string? Kind, bool IsUp, int? MasterIndex)
{
    public bool IsBridge => Kind == "bridge";
}
