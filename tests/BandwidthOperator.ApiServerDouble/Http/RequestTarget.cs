namespace BandwidthOperator.ApiServerDouble.Http;

/// <summary>A parsed request path, with the Kubernetes verb.</summary>
internal sealed record RequestTarget(
    TargetKind Kind,
    string Verb,
    ResourceType? Type,
    string Group,
    string Resource,
    string? Namespace,
    string? Name,
    string? Subresource)
{
    public static RequestTarget Parse(string method, string path, bool watch, IReadOnlyList<ResourceType> served)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return Plain();
        }

        if (segments is ["version"] or ["api"] or ["api", "v1"] or ["apis"])
        {
            return Discovery(string.Empty);
        }

        string group;
        string version;
        string[] rest;
        if (segments[0] == "api" && segments.Length >= 2)
        {
            if (segments[1] != "v1")
            {
                return Plain();
            }

            (group, version, rest) = (string.Empty, "v1", segments[2..]);
        }
        else if (segments[0] == "apis" && segments.Length >= 2)
        {
            var knownGroup = served.Any(t => t.Group == segments[1]);
            if (!knownGroup)
            {
                return Plain();
            }

            if (segments.Length == 2)
            {
                return Discovery(segments[1]);
            }

            if (!served.Any(t => t.Group == segments[1] && t.Version == segments[2]))
            {
                return Plain();
            }

            if (segments.Length == 3)
            {
                return Discovery(segments[1]);
            }

            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            return Plain();
        }

        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && rest[2] is not ("status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var type = served.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == rest[0]);
        if (type is null || rest.Length > 3 || (ns is not null && !type.Namespaced))
        {
            return group.Length == 0 ? new RequestTarget(TargetKind.CoreNotFound, string.Empty, null, group, rest[0], ns, null, null) : Plain();
        }

        var name = rest.Length >= 2 ? rest[1] : null;
        var subresource = rest.Length == 3 ? rest[2] : null;
        if (subresource is not null && !(subresource == "status" && type.HasStatus))
        {
            return group.Length == 0 ? new RequestTarget(TargetKind.CoreNotFound, string.Empty, null, group, rest[0], ns, null, null) : Plain();
        }

        var verb = (method, name) switch
        {
            ("GET", null) => watch ? "watch" : "list",
            ("GET", _) => watch ? "watch" : "get",
            ("POST", null) => "create",
            ("PUT", not null) => "update",
            ("PATCH", not null) => "patch",
            ("DELETE", null) => "deletecollection",
            ("DELETE", not null) => "delete",
            _ => string.Empty,
        };
        return new RequestTarget(TargetKind.Resource, verb, type, group, type.Plural, ns, name, subresource);
    }

    private static RequestTarget Plain() => new(TargetKind.PlainNotFound, string.Empty, null, string.Empty, string.Empty, null, null, null);

    private static RequestTarget Discovery(string group) => new(TargetKind.Discovery, string.Empty, null, group, string.Empty, null, null, null);
}
