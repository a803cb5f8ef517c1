using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// Applies a plan in order, as <c>tc -batch</c> would run the commands that <see cref="TcCommand.Render"/>
/// prints: many requests per write (up to ~60 KiB or 1,024 requests), one ack each. Stops sending at
/// the first failure. Device names are resolved with one link dump, and again only when an operation
/// names a device the batch itself may have just made (an IFB).
/// </summary>
internal sealed class TcBatch
{
    private const int BatchBytes = 60 * 1024;
    private const int BatchMessages = 1024;
    private const int ENODEV = 19;
    private const int EOPNOTSUPP = 95;

    private readonly RtnetlinkSocket _socket;
    private readonly IReadOnlyList<TcOperation> _operations;
    private readonly NetlinkWriter _writer = new(BatchBytes + 8192);
    private readonly List<(uint Sequence, int Index)> _pending = [];
    private readonly List<TcKernelException> _later = [];
    private int _succeeded;
    private int _writes;
    private TcKernelException? _first;
    private TcOperation? _failedOp;

    private TcBatch(RtnetlinkSocket socket, IReadOnlyList<TcOperation> operations)
    {
        _socket = socket;
        _operations = operations;
    }

    /// <summary>Sends <paramref name="operations"/>; the result says how many succeeded before the first failure.</summary>
    public static ApplyResult Apply(RtnetlinkSocket socket, IReadOnlyList<TcOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return new TcBatch(socket, operations).Run();
    }

    private ApplyResult Run()
    {
        IDeviceIndex? devices = null;
        for (var i = 0; i < _operations.Count && _first is null; i++)
        {
            var op = _operations[i];
            ArgumentNullException.ThrowIfNull(op);
            var seq = _socket.NextSequence();
            try
            {
                if (op.Target is IfbLink ifb)
                {
                    EncodeLink(op, ifb, seq);
                }
                else
                {
                    devices ??= LinkSnapshot.Read(_socket).Index;
                    if (NeedsUnknownDevice(op, devices) && _pending.Count > 0)
                    {
                        // An earlier operation of this batch may create the device (an IFB): send what we have, then look again.
                        Flush();
                        if (_first is not null)
                        {
                            break;
                        }

                        devices = LinkSnapshot.Read(_socket).Index;
                    }

                    EncodeTc(op, devices, seq);
                }
            }
            catch (TcKernelException e)
            {
                _writer.CancelMessage();
                Flush();
                Fail(new TcKernelException(TcOperationText.Describe(op), op.Target.Device, e.Errno, e.KernelMessage), op);
                break;
            }
            catch (NotSupportedException e)
            {
                _writer.CancelMessage();
                Flush();
                Fail(new TcKernelException(TcOperationText.Describe(op), op.Target.Device, EOPNOTSUPP, e.Message), op);
                break;
            }

            _pending.Add((seq, i));
            if (_writer.Length >= BatchBytes || _pending.Count >= BatchMessages)
            {
                Flush();
            }
        }

        Flush();
        return new ApplyResult(_succeeded, _writes, _first, _failedOp, _later);
    }

    /// <summary><c>ip link add NAME type ifb up</c>, <c>ip link set NAME up</c> or <c>ip link del NAME</c>.</summary>
    private void EncodeLink(TcOperation op, IfbLink ifb, uint seq)
    {
        if (op.Verb == TcVerb.Delete)
        {
            LinkCodec.EncodeDelete(_writer, ifb.Device, seq);
        }
        else
        {
            LinkCodec.EncodeIfb(_writer, ifb.Device, seq, create: op.Verb == TcVerb.Add);
        }
    }

    /// <summary><c>tc qdisc|class|filter VERB dev D …</c>.</summary>
    private void EncodeTc(TcOperation op, IDeviceIndex devices, uint seq)
    {
        var ifindex = devices.IndexOf(op.Target.Device)
            ?? throw new TcKernelException(TcOperationText.Describe(op), op.Target.Device, ENODEV, $"no device {op.Target.Device}");
        switch (op.Target)
        {
            case Qdisc q:
                QdiscCodec.Encode(_writer, op.Verb, q, ifindex, seq);
                break;
            case HtbClass c:
                HtbClassCodec.Encode(_writer, op.Verb, c, ifindex, seq);
                break;
            case U32Filter f:
                U32FilterCodec.Encode(_writer, op.Verb, f, ifindex, seq, devices);
                break;
            default:
                throw new NotSupportedException($"cannot apply {op.Target.GetType().Name}");
        }
    }

    private void Fail(TcKernelException e, TcOperation op)
    {
        if (_first is null)
        {
            _first = e;
            _failedOp = op;
        }
        else
        {
            _later.Add(e);
        }
    }

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var acks = _socket.Transact(_writer, _pending.ConvertAll(p => p.Sequence), $"tc -batch ({_pending.Count} requests)");
        _writes += _pending.Count;
        foreach (var (seq, i) in _pending)
        {
            var ack = acks[seq];
            if (ack.Ok)
            {
                if (_first is null)
                {
                    _succeeded++;
                }
            }
            else
            {
                Fail(new TcKernelException(TcOperationText.Describe(_operations[i]), _operations[i].Target.Device, ack.Errno, ack.KernelMessage), _operations[i]);
            }
        }

        _writer.Clear();
        _pending.Clear();
    }

    private static bool NeedsUnknownDevice(TcOperation op, IDeviceIndex devices) =>
        devices.IndexOf(op.Target.Device) is null
        || (op.Target is U32Filter { RedirectTo: { } target } && devices.IndexOf(target) is null);
}
