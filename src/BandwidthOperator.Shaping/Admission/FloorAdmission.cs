using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Shaping.Admission;

/// <summary>
/// Admission of floors on one bridge on one node: Σ granted floors ≤ the network's inbound average.
/// What the kernel already carries keeps its place (incumbents in age order), then newcomers and
/// raises are admitted oldest first. A raise that does not fit keeps the previous floor. When the
/// capacity shrinks below the incumbents' sum, the youngest incumbents lose their floors first.
/// </summary>
public static class FloorAdmission
{
    /// <param name="requests">Requests, oldest first.</param>
    public static IReadOnlyList<FloorDecision> Decide(IReadOnlyList<FloorRequest> requests, BitRate capacity, string network, string node, string direction = "inbound")
    {
        ArgumentNullException.ThrowIfNull(requests);
        var granted = new BitRate?[requests.Count];
        var used = BitRate.Zero;

        // 1. Incumbents keep what they have (or less, when they asked for less).
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].Applied is { } applied)
            {
                var keep = BitRate.Min(applied, requests[i].Requested);
                if (used + keep <= capacity)
                {
                    granted[i] = keep;
                    used += keep;
                }
            }
        }

        // 2. Newcomers and raises, oldest first.
        var messages = new string[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            var current = granted[i] ?? BitRate.Zero;
            if (current >= r.Requested)
            {
                continue;
            }

            var extra = r.Requested - current;
            if (used + extra <= capacity)
            {
                granted[i] = r.Requested;
                used += extra;
                continue;
            }

            var left = capacity - used;
            messages[i] = granted[i] is { } kept
                ? $"floor {r.Requested} does not fit: {left} of {network}'s {capacity} {direction} average is left on {node} beyond the {kept} already applied, which stays"
                : $"floor {r.Requested} does not fit: {left} of {network}'s {capacity} {direction} average is left on {node}";
        }

        var decisions = new FloorDecision[requests.Count];
        Dictionary<BitRate, string>? admitted = null; // most floors are one of a few sizes: one message each
        for (var i = 0; i < requests.Count; i++)
        {
            var requested = requests[i].Requested;
            var full = granted[i] == requested;
            string message;
            if (full)
            {
                admitted ??= [];
                if (!admitted.TryGetValue(requested, out message!))
                {
                    admitted[requested] = message = $"floor {requested} admitted";
                }
            }
            else
            {
                message = messages[i] ?? string.Empty;
            }

            decisions[i] = new FloorDecision(requests[i].Ref, granted[i], full, message);
        }

        return decisions;
    }
}
