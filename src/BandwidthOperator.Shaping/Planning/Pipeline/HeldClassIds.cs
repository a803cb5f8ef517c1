using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// The class ID stage's result for one direction: the ID each accepted interface already holds (by its
/// position; 0 = none), every ID taken, and the classes kept for invalid edits with the floor they take.
/// </summary>
internal sealed record HeldClassIds(
    IReadOnlyList<ushort> ClassOf,
    IReadOnlySet<ushort> Taken,
    IReadOnlyDictionary<ObjectRef, FloorClass> Kept,
    BitRate KeptSum);
