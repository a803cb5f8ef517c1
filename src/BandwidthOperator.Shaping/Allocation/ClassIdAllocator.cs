namespace BandwidthOperator.Shaping.Allocation;

/// <summary>
/// Hands out HTB minors 3..0xFFFE in one tree (1 is the root class, 2 the default class, 0xFFFF the small-packet class). An ID
/// already held (from the resource's status, or adopted from the kernel) is kept; a newcomer gets the
/// lowest free ID. Pure: the state is rebuilt from statuses and the kernel every time.
/// </summary>
public sealed class ClassIdAllocator
{
    public const ushort First = 3;
    public const ushort Last = 0xFFFE;

    private readonly HashSet<ushort> _taken;
    private ushort _nextCandidate = First;

    public ClassIdAllocator() => _taken = [];

    /// <summary>An allocator with room for <paramref name="capacity"/> IDs before it grows.</summary>
    public ClassIdAllocator(int capacity) => _taken = new HashSet<ushort>(capacity);

    public int Count => _taken.Count;

    /// <summary>The IDs claimed so far.</summary>
    public IReadOnlySet<ushort> Taken => _taken;

    public static bool IsValid(int id) => id is >= First and <= Last;

    /// <summary>Claims a specific ID; false when it is invalid or already taken.</summary>
    public bool TryClaim(ushort id) => IsValid(id) && _taken.Add(id);

    public bool IsTaken(ushort id) => _taken.Contains(id);

    /// <summary>The lowest free ID, or null when all 65,532 are taken.</summary>
    public ushort? Allocate()
    {
        for (int id = _nextCandidate; id <= Last; id++)
        {
            if (_taken.Add((ushort)id))
            {
                _nextCandidate = (ushort)Math.Min(id + 1, Last);
                return (ushort)id;
            }
        }

        return null;
    }
}
