using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using BandwidthOperator.Agent.Health;
using BandwidthOperator.Agent.Hosting;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.ApiServerDouble.Admission;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using YamlDotNet.RepresentationModel;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// The agent's HTTP endpoints in the current network namespace (the agent's host network): health and, by
/// default, metrics on 127.0.0.1 only; with Agent:Metrics:Secure, /metrics over HTTPS on every address with
/// each caller's token reviewed by the API server (TokenReview, transcripts 102-104) and its right to
/// GET /metrics checked (SubjectAccessReview, 105 and 108).
/// </summary>
public sealed class AgentEndpointTests
{
    private const string PrometheusToken = "prometheus-token";
    private const string StrangerToken = "stranger-token";


    /// <summary>An address of this machine other than loopback (a node's address), or null when it has none.</summary>
    private static IPAddress? NodeAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    private static async Task<IHost> StartAgentAsync(KubeApiServerDouble api, Dictionary<string, string?> settings)
    {
        var client = KubeApi.Create(api.ClientConfiguration());
        var kernel = BandwidthOperator.Agent.Engine.NetlinkNodeKernel.Open();
        var host = AgentHost.Build(new AgentIdentity("node-a"), client, kernel, c => c.AddInMemoryCollection(settings), logging: l => l.ClearProviders());
        await host.StartAsync();
        var health = host.Services.GetRequiredService<AgentHealth>();
        await AgentFixture.UntilAsync(() => health.Ready, "the agent to be ready");
        return host;
    }

    /// <summary>Local addresses of the sockets listening on <paramref name="port"/>, from /proc/net/tcp and tcp6.</summary>
    private static List<string> ListeningAddresses(int port)
    {
        var found = new List<string>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] != "0A" || Convert.ToInt32(local[1], 16) != port)
                {
                    continue;
                }

                var bytes = Convert.FromHexString(local[0]);
                for (var i = 0; i < bytes.Length; i += 4)
                {
                    Array.Reverse(bytes, i, 4); // each 32-bit word is in host (little-endian) order
                }

                var address = new IPAddress(bytes);
                found.Add((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
            }
        }

        return found;
    }

    private static async Task<bool> ConnectsAsync(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Health_and_metrics_listen_on_loopback_only()
    {
        var health = LoopbackPort.Free();
        var metrics = LoopbackPort.Free();
        await using var api = await KubeApiServerDouble.StartAsync();
        using var host = await StartAgentAsync(api, new()
        {
            ["Agent:HealthPort"] = health.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:Metrics:Port"] = metrics.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            (await http.GetAsync(new Uri($"http://127.0.0.1:{health}/healthz"))).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await http.GetAsync(new Uri($"http://127.0.0.1:{health}/readyz"))).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await http.GetStringAsync(new Uri($"http://127.0.0.1:{metrics}/metrics"))).ShouldContain("bandwidth_operator_reconciles_total{node=\"node-a\"}");

            // What the kernel says is listening on the two ports: 127.0.0.1 and nothing else.
            ListeningAddresses(health).ShouldBe(["127.0.0.1"]);
            ListeningAddresses(metrics).ShouldBe(["127.0.0.1"]);
            (await ConnectsAsync(IPAddress.Loopback, health)).ShouldBeTrue("the control: loopback connects");
            if (NodeAddress() is { } node)
            {
                (await ConnectsAsync(node, health)).ShouldBeFalse($"health must not be reachable on {node}");
                (await ConnectsAsync(node, metrics)).ShouldBeFalse($"metrics must not be reachable on {node}");
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Secure_metrics_need_a_token_the_api_server_accepts_and_a_right_to_get_metrics()
    {
        var port = LoopbackPort.Free();
        await using var api = await KubeApiServerDouble.StartAsync();
        var prometheus = AdmissionUser.PodServiceAccount("monitoring", "prometheus-k8s", "node-b", "prometheus-0");
        api.AddToken(PrometheusToken, prometheus);
        api.AddToken(StrangerToken, AdmissionUser.PodServiceAccount("default", "stranger", "node-b", "stranger-0"));
        api.GrantNonResource(prometheus.Username, "/metrics", "get", "prometheus-bandwidth-metrics");
        using var host = await StartAgentAsync(api, new()
        {
            ["Agent:HealthPort"] = "0",
            ["Agent:Metrics:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:Metrics:Secure"] = "true",
        });
        try
        {
            var address = NodeAddress() ?? IPAddress.Loopback;
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
            var url = new Uri($"https://{address}:{port}/metrics");

            async Task<HttpResponseMessage> Get(string? token)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (token is not null)
                {
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                }

                return await http.SendAsync(request);
            }

            (await Get(null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            var garbage = await Get("garbage-token");
            garbage.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "TokenReview answers 201 with status.error for a bad token (103)");
            garbage.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
            (await Get(StrangerToken)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "authenticated, but no right to GET /metrics (105)");
            var allowed = await Get(PrometheusToken);
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await allowed.Content.ReadAsStringAsync()).ShouldContain("bandwidth_operator_reconciles_total{node=\"node-a\"}");
            var reviews = api.Requests.Snapshot().Count(r => r.Resource is "tokenreviews" or "subjectaccessreviews");

            (await Get(PrometheusToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
            api.Requests.Snapshot().Count(r => r.Resource is "tokenreviews" or "subjectaccessreviews").ShouldBe(reviews, "a verdict is reused for 10 s");

            api.RevokeToken(StrangerToken);
            (await Get(StrangerToken)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the cached verdict, as kube-apiserver caches token authentications for 10 s");

            // What the secure endpoint calls is exactly what its ClusterRole grants (config/components/secure-metrics).
            var used = api.Requests.Snapshot().Where(r => r.Resource is "tokenreviews" or "subjectaccessreviews")
                .Select(r => $"{r.Group}/{r.Resource}:{r.Verb}").ToHashSet(StringComparer.Ordinal);
            used.ShouldBe(Grants(RepositoryRoot.Read("config/components/secure-metrics/metrics_auth_rbac.yaml"), "bandwidth-operator-agent-metrics-auth"), ignoreOrder: true);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static HashSet<string> Grants(string yaml, string role)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var grants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            if (((YamlScalarNode)root["kind"]).Value != "ClusterRole" || ((YamlScalarNode)((YamlMappingNode)root["metadata"])["name"]).Value != role)
            {
                continue;
            }

            foreach (YamlMappingNode rule in (YamlSequenceNode)root["rules"])
            {
                foreach (var group in (YamlSequenceNode)rule["apiGroups"])
                {
                    foreach (var resource in (YamlSequenceNode)rule["resources"])
                    {
                        foreach (var verb in (YamlSequenceNode)rule["verbs"])
                        {
                            grants.Add($"{((YamlScalarNode)group).Value}/{((YamlScalarNode)resource).Value}:{((YamlScalarNode)verb).Value}");
                        }
                    }
                }
            }
        }

        return grants;
    }
}
