using System.Buffers.Binary;
using System.Text;

namespace BandwidthOperator.Netlink.Protocol;

/// <summary>
/// Builds one or more netlink messages back to back in one buffer (host byte order, 4-byte
/// alignment), so a whole batch goes to the kernel in one <c>sendto</c>.
/// </summary>
internal sealed class NetlinkWriter
{
    private byte[] _buffer;
    private int _messageStart = -1;

    public NetlinkWriter(int capacity = 4096) => _buffer = new byte[capacity];

    public int Length { get; private set; }

    public int MessageCount { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>Flags added to every message begun from now on (e.g. <c>NLM_F_ECHO</c>).</summary>
    public ushort ExtraFlags { get; set; }

    public void Clear()
    {
        Length = 0;
        MessageCount = 0;
        _messageStart = -1;
    }

    /// <summary>Starts a message; the caller then writes the family header and attributes, then calls <see cref="EndMessage"/>.</summary>
    public void BeginMessage(ushort type, ushort flags, uint sequence)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("a message is already open");
        }

        Align();
        _messageStart = Length;
        var h = Reserve(NetlinkNumbers.HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)(flags | ExtraFlags));
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], sequence);
    }

    public void EndMessage()
    {
        if (_messageStart < 0)
        {
            throw new InvalidOperationException("no message is open");
        }

        Align();
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_messageStart), (uint)(Length - _messageStart));
        _messageStart = -1;
        MessageCount++;
    }

    /// <summary>Abandons the open message (e.g. when encoding it failed).</summary>
    public void CancelMessage()
    {
        if (_messageStart >= 0)
        {
            Length = _messageStart;
            _messageStart = -1;
        }
    }

    /// <summary><c>struct tcmsg</c>.</summary>
    public void TcMsg(int ifindex, uint handle, uint parent, uint info = 0)
    {
        var s = Reserve(Tca.TcMsgLength);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], ifindex);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], handle);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], parent);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], info);
    }

    /// <summary><c>struct ifinfomsg</c>.</summary>
    public void IfInfoMsg(int ifindex, uint flags = 0, uint change = 0)
    {
        var s = Reserve(NetlinkNumbers.IfInfoMsgLength);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], ifindex);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], change);
    }

    /// <summary><c>struct ndmsg</c>.</summary>
    public void NdMsg(byte family, int ifindex = 0)
    {
        var s = Reserve(NetlinkNumbers.NdMsgLength);
        s[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], ifindex);
    }

    public void PutU32(ushort type, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Attribute(type, 4), value);

    public void PutU64(ushort type, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Attribute(type, 8), value);

    public void PutString(ushort type, string value)
    {
        var n = Encoding.UTF8.GetByteCount(value);
        var s = Attribute(type, n + 1);
        Encoding.UTF8.GetBytes(value, s);
        s[n] = 0;
    }

    /// <summary>Adds an attribute of <paramref name="length"/> zeroed bytes and returns its payload to fill in.</summary>
    public Span<byte> Attribute(ushort type, int length)
    {
        Align();
        var s = Reserve(4 + length);
        BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)(4 + length));
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        return s[4..];
    }

    /// <summary>Starts a nested attribute; returns a token for <see cref="EndNest"/>.</summary>
    public int BeginNest(ushort type)
    {
        Align();
        var start = Length;
        var s = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        return start;
    }

    public void EndNest(int start)
    {
        Align();
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(Length - start));
    }

    private void Align()
    {
        var aligned = (Length + 3) & ~3;
        if (aligned != Length)
        {
            Reserve(aligned - Length);
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        var s = _buffer.AsSpan(Length, count);
        s.Clear();
        Length += count;
        return s;
    }
}
