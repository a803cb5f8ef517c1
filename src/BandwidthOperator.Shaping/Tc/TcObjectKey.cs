namespace BandwidthOperator.Shaping.Tc;

/// <summary>The identity of a tc object: kind, device, and handle (plus priority for filters).</summary>
public readonly record struct TcObjectKey(TcObjectType Type, string Device, uint Handle, uint Parent = 0, ushort Priority = 0) : IComparable<TcObjectKey>
{
    public int CompareTo(TcObjectKey other)
    {
        var c = string.CompareOrdinal(Device, other.Device);
        if (c != 0)
        {
            return c;
        }

        c = Type.CompareTo(other.Type);
        if (c != 0)
        {
            return c;
        }

        c = Parent.CompareTo(other.Parent);
        if (c != 0)
        {
            return c;
        }

        c = Priority.CompareTo(other.Priority);
        return c != 0 ? c : Handle.CompareTo(other.Handle);
    }
}
