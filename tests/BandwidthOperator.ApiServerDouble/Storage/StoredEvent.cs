namespace BandwidthOperator.ApiServerDouble.Storage;

/// <summary>
/// One change, as watchers get it. <see cref="Json"/> is the object at <see cref="ResourceVersion"/>
/// (for DELETED: the last state with the deletion's RV); <see cref="PreviousJson"/> is the previous
/// state with this event's RV, sent as DELETED to a watch whose selector the object leaves.
/// </summary>
internal sealed record StoredEvent(
    ResourceType Type,
    string EventType,
    long ResourceVersion,
    string Json,
    ObjectView View,
    ObjectView? Previous,
    string? PreviousJson);
