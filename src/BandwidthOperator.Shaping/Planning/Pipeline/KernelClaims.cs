using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// What the kernel already carries for one bridge: the previous layout's tree on the bridge device (to
/// remove), and per direction the classes and MAC filters of its tree (the previous layout's counts as inbound).
/// </summary>
internal sealed record KernelClaims(IReadOnlyList<TcObject> LegacyRoot, DirectionClaims Inbound, DirectionClaims Outbound);
