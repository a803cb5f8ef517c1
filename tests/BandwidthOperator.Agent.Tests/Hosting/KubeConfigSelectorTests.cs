using BandwidthOperator.Agent.Hosting;

namespace BandwidthOperator.Agent.Tests.Hosting;

public sealed class KubeConfigSelectorTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        key => vars.FirstOrDefault(v => v.Key == key).Value;

    private static readonly Func<string, bool> NoFiles = _ => false;

    [Fact]
    public void In_cluster_when_the_service_host_is_set_and_no_kubeconfig_is_given()
    {
        var choice = KubeConfigSelector.Select(null, Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("HOME", "/root")), _ => true);
        choice.Source.ShouldBe(KubeConfigSource.InCluster);
    }

    [Fact]
    public void An_explicit_kubeconfig_wins_over_in_cluster_and_KUBECONFIG()
    {
        var choice = KubeConfigSelector.Select("/etc/agent.kubeconfig", Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("KUBECONFIG", "/other")), NoFiles);
        choice.ShouldBe(new KubeConfigChoice(KubeConfigSource.File, "/etc/agent.kubeconfig", "--kubeconfig"));
    }

    [Fact]
    public void KUBECONFIG_wins_over_in_cluster_and_its_first_existing_file_is_read()
    {
        var choice = KubeConfigSelector.Select(null, Env(("KUBERNETES_SERVICE_HOST", "10.0.0.1"), ("KUBECONFIG", "/a:/b")), p => p == "/b");
        choice.ShouldBe(new KubeConfigChoice(KubeConfigSource.File, "/b", "KUBECONFIG"));
    }

    [Fact]
    public void Outside_a_cluster_the_home_kubeconfig_is_used_when_it_exists()
    {
        var choice = KubeConfigSelector.Select(null, Env(("HOME", "/home/op")), p => p == "/home/op/.kube/config");
        choice.Source.ShouldBe(KubeConfigSource.File);
        choice.Path.ShouldBe("/home/op/.kube/config");
    }

    [Fact]
    public void Nothing_configured_is_an_error_never_localhost()
    {
        var e = Should.Throw<InvalidOperationException>(() => KubeConfigSelector.Select(null, Env(("HOME", "/home/op")), NoFiles));
        e.Message.ShouldContain("--kubeconfig");
        e.Message.ShouldContain("KUBECONFIG");
    }

    [Fact]
    public void A_missing_kubeconfig_file_is_named_in_the_error()
    {
        var e = Should.Throw<InvalidOperationException>(() =>
            KubeConfigSelector.Load(new KubeConfigChoice(KubeConfigSource.File, "/nonexistent/kubeconfig", "--kubeconfig")));
        e.Message.ShouldContain("/nonexistent/kubeconfig");
    }
}
