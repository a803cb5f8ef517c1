using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Admission;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 5, admission (one direction): the floors of the interfaces that can have a class, against the
/// network's capacity less what invalid edits keep (<see cref="FloorAdmission"/>: what the kernel already
/// applies keeps its place, then oldest first). Pure.
/// </summary>
internal static class AdmissionStage
{
    public static Admission Decide(DirectionSpec spec, IReadOnlyList<InterfaceSettings> accepted, IReadOnlyList<bool> shaped, HeldClassIds held, DirectionClaims kernel, string node)
    {
        var decisions = new FloorDecision?[accepted.Count];
        if (spec.Capacity is not { } capacity)
        {
            return new Admission(decisions);
        }

        var requests = new List<FloorRequest>();
        var positions = new List<int>();
        for (var i = 0; i < accepted.Count; i++)
        {
            var s = accepted[i];
            if (shaped[i] && spec.Limits(s).Floor is { } floor)
            {
                requests.Add(new FloorRequest(s.Ref, floor, held.ClassOf[i] is var id and not 0 ? kernel.AppliedFloor(s.Mac, id) : null));
                positions.Add(i);
            }
        }

        var decided = FloorAdmission.Decide(requests, capacity - held.KeptSum, spec.Network.Name, node, spec.Word);
        for (var r = 0; r < decided.Count; r++)
        {
            decisions[positions[r]] = decided[r];
        }

        return new Admission(decisions);
    }
}
