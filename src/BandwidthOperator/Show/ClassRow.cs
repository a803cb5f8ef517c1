namespace BandwidthOperator.Show;

/// <summary>
/// One HTB class over one sample interval: what it is guaranteed (floor), what it carries now, and
/// whether it is asking for more (a queue most of the interval, or drops).
/// </summary>
/// <param name="Role">network (the bridge's capacity), unfloored (the default class) or floor.</param>
/// <param name="Mac">The MAC the class's filter matches (floor classes), else null.</param>
/// <param name="Name">namespace/name of the InterfaceBandwidth for that MAC when known (<c>show -f</c>), else null.</param>
/// <param name="FloorBitsPerSecond">The class's guaranteed rate in the kernel.</param>
/// <param name="RequestedFloorBitsPerSecond">The floor the manifests ask for (<c>show -f</c>), when it differs from the kernel's, else null.</param>
/// <param name="BacklogBytes">The largest queue the class had during the interval.</param>
/// <param name="QueuedPercent">The share of looks during the interval that saw a queue.</param>
/// <param name="State">See <see cref="FloorState"/>.</param>
internal sealed record ClassRow(
    string Bridge,
    string Class,
    string Role,
    string? Mac,
    string? Name,
    ulong FloorBitsPerSecond,
    ulong? RequestedFloorBitsPerSecond,
    ulong CeilBitsPerSecond,
    ulong RateBitsPerSecond,
    double? ShareOfFloorPercent,
    string State,
    bool Asking,
    ulong BacklogBytes,
    double QueuedPercent,
    ulong DropsInInterval,
    ulong DropsTotal,
    ulong OverlimitsInInterval,
    bool Borrowing);
