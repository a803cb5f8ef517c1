using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Trees;

/// <summary>
/// The <b>previous layout</b>'s per-interface limits, kept so the planner can recognise and remove them
/// on upgrade (docs/architecture.md §4); limits are now the interface's class in <see cref="ShapingTree"/>.
/// Per-interface average/peak/burst on the interface's own host device:
/// inbound (toward the guest) is a TBF at the device's egress root, handle <c>b0:</c>; outbound (from the
/// guest) is the device's ingress redirected to an IFB device <c>bwi{ifindex}</c> with the same kind of
/// TBF on its egress. Handle <c>b0:</c> and the <c>bwi</c> prefix mark these objects as ours.
/// </summary>
public static class DeviceLimits
{
    public const ushort TbfMajor = 0xB0;
    public const string IfbPrefix = "bwi";
    public const ushort IngressPriority = 1;

    public static TcHandle TbfHandle => TcHandle.Of(TbfMajor, 0);

    public static TcHandle IngressHandle => TcHandle.Of(0xFFFF, 0);

    /// <summary>The peak bucket (TBF <c>mtu</c>): one jumbo frame.</summary>
    public static ByteSize PeakBucket => new(9216);

    public static string IfbName(int ifIndex) => IfbPrefix + ifIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsOurIfb(string device) =>
        device.StartsWith(IfbPrefix, StringComparison.Ordinal) && device.Length > IfbPrefix.Length && device[IfbPrefix.Length..].All(char.IsAsciiDigit);

    public static bool IsOurTbf(Qdisc q) => Ownership.KernelOwnership.IsOurLegacyPortLimit(q);

    public static IEnumerable<TcObject> Build(string device, int ifIndex, BandwidthLimits inbound, BandwidthLimits outbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(outbound);
        if (Tbf(device, inbound) is { } inTbf)
        {
            yield return inTbf;
        }

        if (outbound.Average is not null)
        {
            var ifb = IfbName(ifIndex);
            yield return new IfbLink(ifb);
            yield return Tbf(ifb, outbound)!;
            yield return new Qdisc(device, IngressHandle, TcHandle.Ingress, new IngressQdiscOptions());
            yield return new U32Filter(device, IngressHandle, IngressPriority, U32Filter.ProtocolAll, U32Handle.Make(BridgeTree.RootTable, 0, 1), [new U32Key(0, 0, 0)], RedirectTo: ifb);
        }
    }

    /// <summary>TBF for one direction, or null without an average.</summary>
    public static Qdisc? Tbf(string device, BandwidthLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Average is not { } rate)
        {
            return null;
        }

        var burst = limits.Burst ?? new ByteSize(Math.Max(rate.BytesPerSecond / 250, 16 * 1024UL));
        var limit = new ByteSize(Math.Max(burst.Bytes + (rate.BytesPerSecond / 20), 64 * 1024UL));
        return new Qdisc(device, TbfHandle, TcHandle.Root, new TbfQdiscOptions(rate, burst, limit, limits.Peak, limits.Peak is null ? null : PeakBucket));
    }
}
