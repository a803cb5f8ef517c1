using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Http;

namespace BandwidthOperator.ApiServerDouble.Admission;

/// <summary>
/// Who is calling (bearer tokens registered by the test; no token is the admin of the recordings), the
/// ValidatingAdmissionPolicies in force (each with a <c>Deny</c> binding), and the non-resource grants
/// SubjectAccessReview answers from. Policies apply to updates and patches (the agent's only writes).
/// </summary>
internal sealed class AdmissionChain
{
    private readonly ConcurrentDictionary<string, AdmissionUser> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ValidatingAdmissionPolicy> _policies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Subject, string Path, string Verb), string> _nonResourceGrants = new();

    public void AddToken(string token, AdmissionUser user) => _tokens[token] = user;

    public void RevokeToken(string token) => _tokens.TryRemove(token, out _);

    public void AddPolicy(ValidatingAdmissionPolicy policy) => _policies[policy.Name] = policy;

    /// <summary>Grants GET-like access to a non-resource path to a user or group, as a ClusterRoleBinding named <paramref name="binding"/> would.</summary>
    public void GrantNonResource(string subject, string path, string verb, string binding) => _nonResourceGrants[(subject, path, verb)] = binding;

    /// <summary>The user of a request's <c>Authorization</c> header; an unknown token is 401, as kube-apiserver answers.</summary>
    public AdmissionUser Authenticate(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return AdmissionUser.Admin;
        }

        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..].Trim() : string.Empty;
        return _tokens.TryGetValue(token, out var user) ? user : throw new ApiError(401, "Unauthorized", "Unauthorized", null);
    }

    /// <summary>The user a token stands for, for TokenReview; <see langword="null"/> when it is not valid.</summary>
    public AdmissionUser? Review(string token) => _tokens.TryGetValue(token, out var user) ? user : null;

    /// <summary>The binding that allows <paramref name="user"/> (or one of <paramref name="groups"/>) <paramref name="verb"/> on <paramref name="path"/>, for SubjectAccessReview.</summary>
    public string? AllowedBy(string user, IEnumerable<string> groups, string path, string verb) =>
        groups.Prepend(user).Select(s => _nonResourceGrants.TryGetValue((s, path, verb), out var b) ? b : null).FirstOrDefault(b => b is not null);

    public void Admit(AdmissionRequest request, ResourceType type)
    {
        foreach (var policy in _policies.Values)
        {
            if (policy.Evaluate(request) is { } denial)
            {
                var message = $"{type.QualifiedName} \"{request.Name}\" is forbidden: {denial.Message}";
                var details = new JsonObject { ["name"] = request.Name };
                if (type.Group.Length > 0)
                {
                    details["group"] = type.Group;
                }

                details["kind"] = type.Plural;
                details["causes"] = new JsonArray(new JsonObject { ["message"] = denial.Message });
                throw denial.Forbidden ? new ApiError(403, "Forbidden", message, details) : new ApiError(422, "Invalid", message, details);
            }
        }
    }
}
