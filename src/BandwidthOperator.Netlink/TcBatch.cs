using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// Applies a plan in order, as <c>tc -batch</c> would run the commands that <see cref="TcCommand.Render"/>
/// prints: many requests per write (up to ~60 KiB or 1,024 requests), one ack each. Stops sending at
/// the first failure. Device names are resolved against the links the caller knows (the kernel view's, when
/// it vouches for them) or one link dump, and with a dump again only when an operation names a device the
/// batch itself may have just made (an IFB). With <c>echo</c>, every qdisc, class and filter added or changed is
/// sent with <c>NLM_F_ECHO</c>: the kernel answers each with the object as it now holds it (the same message a
/// get or a dump returns), before the ack — the pass's read-back comes with its acks, no second round trip
/// (docs/architecture.md, "The kernel view").
/// </summary>
internal sealed class TcBatch
{
    private const int BatchBytes = 60 * 1024;
    private const int BatchMessages = 1024;
    private const int ENODEV = 19;
    private const int EOPNOTSUPP = 95;

    private readonly RtnetlinkSocket _socket;
    private readonly IReadOnlyList<TcOperation> _operations;
    private readonly bool _echo;
    private readonly List<TcObject> _echoed = [];
    private readonly Dictionary<TcObjectKey, TcCounters> _echoCounters = [];
    private readonly List<string> _notEchoed = [];
    // The device names of the batch: the caller's links, else a dump, dumped again when a device is unknown; the
    // kernel's echoes are decoded with the same.
    private IDeviceIndex? _devices;
    private readonly NetlinkWriter _writer;
    private readonly List<(uint Sequence, int Index)> _pending = [];
    private readonly List<TcKernelException> _later = [];
    private int _succeeded;
    private int _writes;
    private TcKernelException? _first;
    private TcOperation? _failedOp;

    private TcBatch(RtnetlinkSocket socket, IReadOnlyList<TcOperation> operations, IDeviceIndex? known, bool echo)
    {
        _socket = socket;
        _operations = operations;
        _devices = known;
        _echo = echo;

        // Sized for the batch (a few hundred bytes per request), up to one write's worth: a pass of four operations
        // does not allocate the 68 KiB a full batch needs.
        _writer = new NetlinkWriter(Math.Min(BatchBytes + 8192, 1024 + (operations.Count * 512)));
    }

    /// <summary>
    /// Sends <paramref name="operations"/>; the result says how many succeeded before the first failure. Device
    /// names are looked up in <paramref name="known"/> first when given; with <paramref name="echo"/> the result
    /// carries what the kernel echoed for each qdisc, class and filter added or changed (<see cref="ApplyResult.Echoed"/>).
    /// </summary>
    public static ApplyResult Apply(RtnetlinkSocket socket, IReadOnlyList<TcOperation> operations, IDeviceIndex? known = null, bool echo = false)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return new TcBatch(socket, operations, known, echo).Run();
    }

    private ApplyResult Run()
    {
        // How many requests had been sent when the links were last dumped with none waiting to be sent (-1: not so in
        // this batch); when none was encoded since, the dump already shows whatever this batch made.
        var dumped = -1;
        for (var i = 0; i < _operations.Count && _first is null; i++)
        {
            var op = _operations[i];
            ArgumentNullException.ThrowIfNull(op);
            var seq = _socket.NextSequence();
            try
            {
                _writer.ExtraFlags = _echo && op.Verb != TcVerb.Delete && op.Target is not IfbLink ? NetlinkNumbers.NLM_F_ECHO : (ushort)0;
                if (op.Target is IfbLink ifb)
                {
                    EncodeLink(op, ifb, seq);
                }
                else
                {
                    if (_devices is null)
                    {
                        _devices = LinkSnapshot.Read(_socket).Index;
                        dumped = _pending.Count == 0 ? _writes : -1;
                    }

                    if (NeedsUnknownDevice(op, _devices) && dumped != _writes + _pending.Count)
                    {
                        // The links the caller knew may be older than the device, or an earlier operation of this batch
                        // may create it (an IFB): send what we have, then look again.
                        Flush();
                        if (_first is not null)
                        {
                            break;
                        }

                        _devices = LinkSnapshot.Read(_socket).Index;
                        dumped = _writes;
                    }

                    EncodeTc(op, _devices, seq);
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
        return new ApplyResult(_succeeded, _writes, _first, _failedOp, _later)
        {
            Echoed = _echo ? new TcSnapshot([.. _echoed.OrderBy(o => o.Key)], _echoCounters, _notEchoed) : null,
        };
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

        Dictionary<uint, int>? bySequence = null;
        HashSet<uint>? echoed = null;
        if (_echo)
        {
            bySequence = new Dictionary<uint, int>(_pending.Count);
            echoed = [];
            foreach (var (seq, i) in _pending)
            {
                bySequence[seq] = i;
            }
        }

        var acks = _socket.Transact(_writer, _pending.ConvertAll(p => p.Sequence), $"tc -batch ({_pending.Count} requests)", null, _echo ? m => Echo(m, bySequence!, echoed!) : null);
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

                var op = _operations[i];
                if (_echo && op.Verb != TcVerb.Delete && op.Target is not IfbLink && !echoed!.Contains(seq))
                {
                    _notEchoed.Add(TcGet.Describe(op.Target));
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

    /// <summary>What the kernel echoed for one request: the object as it now holds it (a qdisc echo may also carry the one it replaced: skipped).</summary>
    private void Echo(NetlinkMessage m, Dictionary<uint, int> bySequence, HashSet<uint> echoed)
    {
        if (m.Type is not (NetlinkNumbers.RTM_NEWQDISC or NetlinkNumbers.RTM_NEWTCLASS or NetlinkNumbers.RTM_NEWTFILTER)
            || !bySequence.TryGetValue(m.Sequence, out var i) || _devices is null)
        {
            return;
        }

        var parsed = TcMessage.Parse(m);
        if (TcGet.Decode(parsed, _operations[i].Target, _devices) is { } got && echoed.Add(m.Sequence))
        {
            _echoed.Add(got);
            if (TcStatsCodec.Decode(parsed) is { } c)
            {
                _echoCounters[got.Key] = c;
            }
        }
    }

    private static bool NeedsUnknownDevice(TcOperation op, IDeviceIndex devices) =>
        devices.IndexOf(op.Target.Device) is null
        || (op.Target is U32Filter { RedirectTo: { } target } && devices.IndexOf(target) is null);
}
