namespace BandwidthOperator.Show;

/// <summary>
/// "Is my floor holding?" from a class's rate, floor and ceiling and whether it is asking for more
/// (it had a queue most of the interval, or dropped). Pure.
/// <list type="bullet">
/// <item><c>starved</c>: asking, yet below its floor — the floor is not holding.</item>
/// <item><c>at-floor</c>: asking, getting its floor and no more (others use the rest).</item>
/// <item><c>borrowing</c>: above its floor, using capacity others leave.</item>
/// <item><c>below-floor</c>: carrying less than its floor and not asking: the guest sends less (not a problem).</item>
/// <item><c>idle</c>: (almost) nothing.</item>
/// </list>
/// The network's class: <c>full</c> (at its ceiling) or <c>in-use</c>/<c>idle</c>.
/// </summary>
internal static class FloorState
{
    /// <summary>Below this share of its floor, an asking class is starved (the demo's "floor held" line).</summary>
    public const double HeldPercent = 93;

    /// <summary>Above this share of its floor, a class is borrowing.</summary>
    public const double BorrowingPercent = 102;

    public static string Of(string role, ulong rate, ulong floor, ulong ceil, bool asking)
    {
        var idle = rate < Math.Max(1_000UL, floor / 100);
        if (role == "network")
        {
            return rate >= ceil * 0.95 ? "full" : idle ? "idle" : "in-use";
        }

        var share = floor > 0 ? 100.0 * rate / floor : double.PositiveInfinity;
        if (asking && share < HeldPercent)
        {
            return "starved";
        }

        if (share > BorrowingPercent)
        {
            return "borrowing";
        }

        if (asking)
        {
            return "at-floor";
        }

        return idle ? "idle" : "below-floor";
    }
}
