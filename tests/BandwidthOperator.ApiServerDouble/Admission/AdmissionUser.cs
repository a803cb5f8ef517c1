namespace BandwidthOperator.ApiServerDouble.Admission;

/// <summary>
/// Who a request comes from, as kube-apiserver's authenticators say it (and as TokenReview returns it,
/// transcript 102): user name, uid, groups and extra (e.g. <c>authentication.kubernetes.io/node-name</c>).
/// </summary>
public sealed record AdmissionUser(string Username, string Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    /// <summary>The user of requests without a bearer token: the recordings' admin (in <c>system:masters</c>).</summary>
    public static AdmissionUser Admin { get; } = new("admin", string.Empty, ["system:masters", "system:authenticated"], new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>A pod-bound ServiceAccount token's user on <paramref name="node"/> (transcript 102).</summary>
    public static AdmissionUser PodServiceAccount(string ns, string name, string node, string pod) => new(
        $"system:serviceaccount:{ns}:{name}",
        Guid.NewGuid().ToString(),
        ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"],
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["authentication.kubernetes.io/credential-id"] = [$"JTI={Guid.NewGuid()}"],
            ["authentication.kubernetes.io/node-name"] = [node],
            ["authentication.kubernetes.io/node-uid"] = [Guid.NewGuid().ToString()],
            ["authentication.kubernetes.io/pod-name"] = [pod],
            ["authentication.kubernetes.io/pod-uid"] = [Guid.NewGuid().ToString()],
        });
}
