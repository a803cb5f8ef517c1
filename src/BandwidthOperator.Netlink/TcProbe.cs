using System.Globalization;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// Which qdiscs, the u32 classifier and the mirred action the kernel offers, found by really creating
/// each on a throw-away IFB device (<c>ip link add bwprobeXXXXXX type ifb; tc qdisc add dev … root handle 1: KIND; tc qdisc del …</c>),
/// which is deleted afterwards.
/// </summary>
internal static class TcProbe
{
    public static KernelFeatures Run(Func<IReadOnlyList<TcOperation>, ApplyResult> apply)
    {
        var dev = "bwprobe" + Random.Shared.Next(0, 0xFFFFFF).ToString("x6", CultureInfo.InvariantCulture);
        if (!apply([new TcOperation(TcVerb.Add, new IfbLink(dev))]).Ok)
        {
            return new KernelFeatures(false, false, false, false, false, false, false, false, false, false, false);
        }

        try
        {
            var root = TcHandle.Of(1, 0);
            bool Try(params TcOperation[] ops) => apply(ops).Ok;
            bool Qdisc(QdiscOptions options, TcHandle handle, TcHandle parent)
            {
                var q = new Qdisc(dev, handle, parent, options);
                var ok = Try(new TcOperation(TcVerb.Add, q));
                if (ok)
                {
                    Try(new TcOperation(TcVerb.Delete, q));
                }

                return ok;
            }

            var htb = Qdisc(new HtbQdiscOptions(2), root, TcHandle.Root);
            var tbf = Qdisc(new TbfQdiscOptions(new BitRate(1_000_000), new ByteSize(10_000), new ByteSize(10_000)), root, TcHandle.Root);
            var pfifo = Qdisc(FifoQdiscOptions.Pfifo(100), root, TcHandle.Root);
            var bfifo = Qdisc(new FifoQdiscOptions("bfifo", 100_000), root, TcHandle.Root);
            var sfq = Qdisc(new SfqQdiscOptions(), root, TcHandle.Root);
            var fqCodel = Qdisc(new FqCodelQdiscOptions(), root, TcHandle.Root);
            var ingressHandle = TcHandle.Of(0xFFFF, 0);
            var ingress = Qdisc(new IngressQdiscOptions(), ingressHandle, TcHandle.Ingress);
            var clsact = Qdisc(new ClsactQdiscOptions(), ingressHandle, TcHandle.Ingress);

            var u32 = false;
            var mirred = false;
            var match = new U32Key(0, 0, 0);
            if (htb)
            {
                var q = new Qdisc(dev, root, TcHandle.Root, new HtbQdiscOptions(2));
                u32 = Try(
                    new TcOperation(TcVerb.Add, q),
                    new TcOperation(TcVerb.Add, new U32Filter(dev, root, 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [match], FlowId: TcHandle.Of(1, 2))));
                Try(new TcOperation(TcVerb.Delete, q));
            }

            if (ingress && u32)
            {
                var q = new Qdisc(dev, ingressHandle, TcHandle.Ingress, new IngressQdiscOptions());
                mirred = Try(
                    new TcOperation(TcVerb.Add, q),
                    new TcOperation(TcVerb.Add, new U32Filter(dev, ingressHandle, 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [match], RedirectTo: dev)));
                Try(new TcOperation(TcVerb.Delete, q));
            }

            return new KernelFeatures(true, htb, tbf, pfifo, bfifo, sfq, fqCodel, ingress, clsact, u32, mirred);
        }
        finally
        {
            apply([new TcOperation(TcVerb.Delete, new IfbLink(dev))]);
        }
    }
}
