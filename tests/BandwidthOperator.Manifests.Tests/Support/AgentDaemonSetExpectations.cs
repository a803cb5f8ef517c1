using System.Text.Json.Nodes;

namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>What every rendering of the agent DaemonSet (kustomize or helm, any values) must hold.</summary>
internal static class AgentDaemonSetExpectations
{
    public const string Name = "bandwidth-operator-agent";

    public static JsonObject Container(JsonObject daemonSet) =>
        daemonSet["spec"]!["template"]!["spec"]!["containers"]!.AsArray().OfType<JsonObject>().Single(c => (string?)c["name"] == "agent");

    public static JsonObject PodSpec(JsonObject daemonSet) => daemonSet["spec"]!["template"]!["spec"]!.AsObject();

    public static void ShouldBeLockedDown(JsonObject daemonSet)
    {
        var pod = PodSpec(daemonSet);
        ((bool?)pod["hostNetwork"]).ShouldBe(true, "the agent shapes the host's bridges");
        ((bool?)pod["hostPID"] ?? false).ShouldBeFalse();
        ((bool?)pod["hostIPC"] ?? false).ShouldBeFalse();
        pod["securityContext"]?["privileged"].ShouldBeNull();

        var strategy = daemonSet["spec"]!["updateStrategy"]!;
        ((string?)strategy["type"]).ShouldBe("RollingUpdate");
        strategy["rollingUpdate"]!["maxSurge"]!.ToJsonString().ShouldBe("0", "two agents on one node would fight over the class trees");
        strategy["rollingUpdate"]!["maxUnavailable"]!.ToJsonString().ShouldBe("1");

        var containers = pod["containers"]!.AsArray();
        containers.Count.ShouldBe(1);
        (pod["initContainers"] as JsonArray ?? []).ShouldBeEmpty();
        var container = Container(daemonSet);
        var args = container["args"]!.AsArray().Select(a => (string?)a).ToList();
        args[0].ShouldBe("agent");
        args.Skip(1).ShouldBe(["--log-format", args.Count == 3 ? args[2] : null]);
        args[2].ShouldBeOneOf("text", "json");

        var security = container["securityContext"]!.AsObject();
        ((bool?)security["privileged"]).ShouldBe(false);
        ((bool?)security["allowPrivilegeEscalation"]).ShouldBe(false);
        ((bool?)security["readOnlyRootFilesystem"]).ShouldBe(true);
        ((long?)security["runAsUser"]).ShouldBe(0);
        security["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c).ShouldBe(["ALL"]);
        security["capabilities"]!["add"]!.AsArray().Select(c => (string?)c).ShouldBe(["NET_ADMIN"], "NET_ADMIN and nothing else");
        ((string?)security["seccompProfile"]?["type"]).ShouldBe("RuntimeDefault");

        var env = container["env"]!.AsArray().OfType<JsonObject>().ToDictionary(e => (string)e["name"]!);
        ((string?)env["NODE_NAME"]["valueFrom"]?["fieldRef"]?["fieldPath"]).ShouldBe("spec.nodeName");

        var ports = container["ports"]!.AsArray().OfType<JsonObject>().ToDictionary(p => (string)p["name"]!);
        var healthPort = (long)ports["health"]["containerPort"]!;
        ((string?)env["Agent__HealthPort"]["value"]).ShouldBe(healthPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        healthPort.ShouldNotBeOneOf([8080, 9090, 10250, 10256, 9100], "a port other node software commonly takes");
        ShouldProbe(container["livenessProbe"], "/healthz");
        ShouldProbe(container["readinessProbe"], "/readyz");

        var resources = container["resources"]!;
        resources["requests"]!["cpu"].ShouldNotBeNull();
        resources["requests"]!["memory"].ShouldNotBeNull();
        resources["limits"]!["memory"].ShouldNotBeNull();

        (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>()
            .ShouldAllBe(m => (string?)m["mountPath"] == "/tmp", "only a scratch /tmp; no host paths");
        (pod["volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .ShouldAllBe(v => v["hostPath"] == null, "no host paths");
        ((string?)pod["serviceAccountName"]).ShouldBe(Name);
    }

    private static void ShouldProbe(JsonNode? probe, string path)
    {
        probe.ShouldNotBeNull($"a probe on {path}");
        ((string?)probe["httpGet"]!["path"]).ShouldBe(path);
        ((string?)probe["httpGet"]!["port"]).ShouldBe("health");
        // hostNetwork: the kubelet is in the same network namespace, and the agent serves health on loopback only.
        ((string?)probe["httpGet"]!["host"]).ShouldBe("127.0.0.1");
    }
}
