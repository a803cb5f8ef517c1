using System.Net;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Admission;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>TokenReview, SubjectAccessReview, bearer tokens and ValidatingAdmissionPolicies, held to transcripts 102-117.</summary>
public sealed class ReviewAndAdmissionTests
{
    private static readonly AdmissionUser Agent = AdmissionUser.PodServiceAccount("default", "agent", "node-a", "agent-node-a");

    // The policy of transcripts 111 and 115 (reason Forbidden and a messageExpression).
    private static JsonObject Policy(bool forbidden) => JsonNode.Parse($$"""
        {
          "apiVersion": "admissionregistration.k8s.io/v1",
          "kind": "ValidatingAdmissionPolicy",
          "metadata": { "name": "bandwidth-agent-own-node-status" },
          "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": { "resourceRules": [ { "apiGroups": ["bandwidthoperator.io"], "apiVersions": ["v1alpha1"], "operations": ["UPDATE"], "resources": ["interfacebandwidths/status"] } ] },
            "matchConditions": [ { "name": "is-agent", "expression": "request.userInfo.username == 'system:serviceaccount:default:agent'" } ],
            "validations": [ {
              "expression": "'authentication.kubernetes.io/node-name' in request.userInfo.extra && object.spec.nodeName == request.userInfo.extra['authentication.kubernetes.io/node-name'][0]",
              "message": "the agent may only write status of InterfaceBandwidths on its own node"
              {{(forbidden ? ", \"reason\": \"Forbidden\", \"messageExpression\": \"'InterfaceBandwidth ' + object.metadata.name + ' is on node ' + object.spec.nodeName + ', the token is bound to node ' + request.userInfo.extra['authentication.kubernetes.io/node-name'][0]\"" : string.Empty)}}
            } ]
          }
        }
        """)!.AsObject();

    private static async Task<KubeApiServerDouble> StartAsync()
    {
        var api = await KubeApiServerDouble.StartAsync();
        api.AddToken("agent-token", Agent);
        foreach (var (name, node) in new[] { ("pod-a-eth0", "node-a"), ("pod-e-eth0", "node-b") })
        {
            api.Seed(new JsonObject
            {
                ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
                ["kind"] = "InterfaceBandwidth",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
                ["spec"] = new JsonObject { ["network"] = "tenant-net", ["nodeName"] = node, ["macAddress"] = "52:54:00:00:0a:01" },
            });
        }

        return api;
    }

    private static async Task<RawHttp.Reply> PatchStatusAsync(KubeApiServerDouble api, string name, string? token)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths/{name}/status");
        request.Content = new StringContent("{\"status\":{\"classId\":7,\"observedGeneration\":1}}");
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json");
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        var response = await http.SendAsync(request);
        return new RawHttp.Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task Token_review_of_a_pod_bound_token_returns_the_user_and_its_node_102()
    {
        await using var api = await StartAsync();
        using var raw = new RawHttp(api);
        var reply = await raw.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews",
            new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = "agent-token" } });
        reply.Status.ShouldBe(HttpStatusCode.Created);
        var status = reply.Json["status"]!;
        ((bool?)status["authenticated"]).ShouldBe(true);
        ((string?)status["user"]!["username"]).ShouldBe("system:serviceaccount:default:agent");
        status["user"]!["groups"]!.AsArray().Select(g => (string?)g).ShouldBe(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"]);
        status["user"]!["extra"]!["authentication.kubernetes.io/node-name"]!.AsArray().Select(n => (string?)n).ShouldBe(["node-a"]);
        status["audiences"]!.AsArray().Select(a => (string?)a).ShouldBe(["https://kubernetes.default.svc"]);
        ((string?)reply.Json["kind"]).ShouldBe("TokenReview");
    }

    [Fact]
    public async Task Token_review_of_a_bad_or_revoked_token_is_201_with_an_error_and_no_authenticated_103_117()
    {
        await using var api = await StartAsync();
        using var raw = new RawHttp(api);
        var body = new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = "garbage-token" } };
        var garbage = await raw.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", body);
        garbage.Status.ShouldBe(HttpStatusCode.Created);
        garbage.Json["status"]!.ToJsonString().ShouldBe("{\"user\":{},\"error\":\"invalid bearer token\"}");

        api.RevokeToken("agent-token");
        body["spec"]!["token"] = "agent-token";
        var revoked = await raw.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", body);
        revoked.Status.ShouldBe(HttpStatusCode.Created);
        revoked.Json["status"]!.AsObject().ContainsKey("authenticated").ShouldBeFalse();
    }

    [Fact]
    public async Task Subject_access_review_is_terse_when_denied_and_names_the_binding_when_allowed_105_108()
    {
        await using var api = await StartAsync();
        using var raw = new RawHttp(api);
        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["user"] = "system:serviceaccount:default:agent",
                ["groups"] = new JsonArray("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"),
                ["nonResourceAttributes"] = new JsonObject { ["path"] = "/metrics", ["verb"] = "get" },
            },
        };
        var denied = await raw.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
        denied.Status.ShouldBe(HttpStatusCode.Created);
        denied.Json["status"]!.ToJsonString().ShouldBe("{\"allowed\":false}");

        api.GrantNonResource("system:serviceaccount:default:agent", "/metrics", "get", "bandwidth-agent-metrics");
        var allowed = await raw.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
        ((bool?)allowed.Json["status"]!["allowed"]).ShouldBe(true);
        ((string?)allowed.Json["status"]!["reason"]).ShouldBe(
            "RBAC: allowed by ClusterRoleBinding \"bandwidth-agent-metrics\" of ClusterRole \"bandwidth-agent-metrics\" to ServiceAccount \"agent/default\"");
        api.Requests.Snapshot().Where(r => r.Resource == "subjectaccessreviews").ShouldAllBe(r => r.Verb == "create" && r.Group == "authorization.k8s.io");
    }

    [Fact]
    public async Task An_unknown_bearer_token_is_401()
    {
        await using var api = await StartAsync();
        (await PatchStatusAsync(api, "pod-a-eth0", "nobody")).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_policy_without_reason_denies_with_422_invalid_and_the_recorded_message_113_114()
    {
        await using var api = await StartAsync();
        api.AddValidatingAdmissionPolicy(Policy(forbidden: false));
        (await PatchStatusAsync(api, "pod-a-eth0", "agent-token")).Status.ShouldBe(HttpStatusCode.OK);
        var denied = await PatchStatusAsync(api, "pod-e-eth0", "agent-token");
        denied.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var json = denied.Json;
        ((string?)json["reason"]).ShouldBe("Invalid");
        ((string?)json["message"]).ShouldBe("interfacebandwidths.bandwidthoperator.io \"pod-e-eth0\" is forbidden: ValidatingAdmissionPolicy 'bandwidth-agent-own-node-status' " +
            "with binding 'bandwidth-agent-own-node-status' denied request: the agent may only write status of InterfaceBandwidths on its own node");
        JsonNode.DeepEquals(json["details"], JsonNode.Parse("{\"name\":\"pod-e-eth0\",\"group\":\"bandwidthoperator.io\",\"kind\":\"interfacebandwidths\",\"causes\":[{\"message\":" +
            "\"ValidatingAdmissionPolicy 'bandwidth-agent-own-node-status' with binding 'bandwidth-agent-own-node-status' denied request: the agent may only write status of InterfaceBandwidths on its own node\"}]}")).ShouldBeTrue(json["details"]!.ToJsonString());
        api.Get(ResourceType.InterfaceBandwidths, "default", "pod-e-eth0")!["status"]?["classId"].ShouldBeNull("a denied write changes nothing");

        (await PatchStatusAsync(api, "pod-e-eth0", null)).Status.ShouldBe(HttpStatusCode.OK, "the admin is not matched");
    }

    [Fact]
    public async Task A_policy_with_reason_forbidden_denies_with_403_and_the_message_expression_116()
    {
        await using var api = await StartAsync();
        api.AddValidatingAdmissionPolicy(Policy(forbidden: true));
        var denied = await PatchStatusAsync(api, "pod-e-eth0", "agent-token");
        denied.Status.ShouldBe(HttpStatusCode.Forbidden);
        ((string?)denied.Json["reason"]).ShouldBe("Forbidden");
        ((string?)denied.Json["message"]).ShouldEndWith("denied request: InterfaceBandwidth pod-e-eth0 is on node node-b, the token is bound to node node-a");
    }
}
