namespace BandwidthOperator.ApiServerDouble.Admission;

/// <summary>
/// A policy's denial: <see cref="Message"/> is the text kube-apiserver puts after "is forbidden: " and in the
/// Status's single cause (transcripts 114, 116); <see cref="Forbidden"/> selects 403 Forbidden over 422 Invalid.
/// </summary>
public sealed record AdmissionDenial(string Policy, string Binding, string Message, bool Forbidden);
