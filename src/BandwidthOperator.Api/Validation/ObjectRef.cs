namespace BandwidthOperator.Api.Validation;

/// <summary>Names an object in messages: <c>InterfaceBandwidth tenant-a/vm-a-net1</c>.</summary>
public readonly record struct ObjectRef(string Kind, string? Namespace, string Name) : IComparable<ObjectRef>
{
    public string Key => Namespace is null ? Name : Namespace + "/" + Name;

    public int CompareTo(ObjectRef other)
    {
        var c = string.CompareOrdinal(Namespace ?? string.Empty, other.Namespace ?? string.Empty);
        return c != 0 ? c : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => $"{Kind} {Key}";
}
