using System.Net;
using System.Text.Json.Nodes;
using k8s;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Objects of our kinds are checked against crds/ and refused with 422 Invalid like transcripts 04–06.</summary>
public sealed class ValidationTests
{
    private const string MacPattern = "^[0-9a-fA-F][02468aceACE](:[0-9a-fA-F]{2}){5}$";

    [Fact]
    public async Task A_bad_pattern_is_one_FieldValueInvalid_cause()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        var ibw = Ibw("pod-b-eth0", mac: "zz:58:0a:f4:00:05");

        var (code, status) = await ClientErrors.FailureOf(() =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(ibw, Group, V1alpha1, "default", "interfacebandwidths"));

        code.ShouldBe((HttpStatusCode)422);
        var cause = $"Invalid value: \"zz:58:0a:f4:00:05\": spec.macAddress in body should match '{MacPattern}'";
        status.ShouldBeStatus(422, "Invalid", $"InterfaceBandwidth.bandwidthoperator.io \"pod-b-eth0\" is invalid: spec.macAddress: {cause}");
        var expected = new JsonObject
        {
            ["name"] = "pod-b-eth0",
            ["group"] = "bandwidthoperator.io",
            ["kind"] = "InterfaceBandwidth",
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = cause, ["field"] = "spec.macAddress" }),
        };
        JsonNode.DeepEquals(status["details"], expected).ShouldBeTrue(status.ToJsonString());
    }

    [Fact]
    public async Task A_missing_required_field_is_FieldValueRequired()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        var ibw = Ibw("pod-c-eth0");
        ibw["spec"]!.AsObject().Remove("network");

        var (_, status) = await ClientErrors.FailureOf(() =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(ibw, Group, V1alpha1, "default", "interfacebandwidths"));

        status.ShouldBeStatus(422, "Invalid", "InterfaceBandwidth.bandwidthoperator.io \"pod-c-eth0\" is invalid: spec.network: Required value");
        var cause = status["details"]!["causes"]!.AsArray().Single()!;
        JsonNode.DeepEquals(cause, new JsonObject { ["reason"] = "FieldValueRequired", ["message"] = "Required value", ["field"] = "spec.network" }).ShouldBeTrue();
    }

    [Fact]
    public async Task Several_errors_come_in_one_response_with_the_bracketed_message()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var ibw = Ibw("pod-d-eth0", mac: "zz:zz:zz:zz:zz:zz");
        ibw["spec"]!.AsObject().Remove("network");
        ibw["spec"]!["inbound"] = new JsonObject { ["floor"] = true };

        var reply = await raw.PostAsync("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths", ibw);

        reply.Status.ShouldBe((HttpStatusCode)422);
        reply.Json.ShouldBeStatus(422, "Invalid",
            "InterfaceBandwidth.bandwidthoperator.io \"pod-d-eth0\" is invalid: [" +
            "spec.inbound.floor: Invalid value: \"boolean\": spec.inbound.floor in body must be of type integer,string: \"boolean\", " +
            $"spec.macAddress: Invalid value: \"zz:zz:zz:zz:zz:zz\": spec.macAddress in body should match '{MacPattern}', " +
            "spec.network: Required value]");
        reply.Json["details"]!["causes"]!.AsArray().Select(c => (string?)c!["reason"])
            .ShouldBe(["FieldValueTypeInvalid", "FieldValueInvalid", "FieldValueRequired"]);
    }

    [Fact]
    public async Task Status_writes_are_validated_too()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Ibw("pod-a-eth0"));

        var reply = await raw.PatchAsync("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths/pod-a-eth0/status",
            """{"status":{"classId":2}}""", "application/merge-patch+json");

        reply.Status.ShouldBe((HttpStatusCode)422);
        ((string?)reply.Json["details"]!["causes"]![0]!["field"]).ShouldBe("status.classId");
    }

    [Fact]
    public async Task Cel_rules_of_the_crd_are_enforced()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var ibw = Ibw("pod-p-eth0");
        ibw["spec"]!["inbound"] = new JsonObject { ["peak"] = "1G" };

        var reply = await raw.PostAsync("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths", ibw);

        reply.Status.ShouldBe((HttpStatusCode)422);
        ((string?)reply.Json["details"]!["causes"]![0]!["field"]).ShouldBe("spec.inbound.peak");
        ((string?)reply.Json["details"]!["causes"]![0]!["message"]).ShouldBe("Invalid value: peak requires average");
    }

    [Fact]
    public async Task Undeclared_fields_are_pruned_with_a_warning_and_refused_when_strict()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var ibw = Ibw("pod-u-eth0");
        ibw["spec"]!["colour"] = "blue";

        var strict = await raw.PostAsync("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths?fieldValidation=Strict", ibw);
        var created = await raw.PostAsync("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths", ibw);
        var status = await raw.PatchAsync("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths/pod-u-eth0/status",
            """{"status":{"classId":3,"shade":"dark"}}""", "application/merge-patch+json");

        strict.Status.ShouldBe(HttpStatusCode.BadRequest);
        ((string?)strict.Json["message"]).ShouldBe("strict decoding error: unknown field \"spec.colour\"");
        created.Status.ShouldBe(HttpStatusCode.Created);
        created.Json["spec"]!["colour"].ShouldBeNull();
        created.Message.Headers.GetValues("Warning").ShouldBe(["299 - \"unknown field \\\"spec.colour\\\"\""]);
        status.Json["status"]!.AsObject().Select(kv => kv.Key).ShouldBe(["classId"]);
    }
}
