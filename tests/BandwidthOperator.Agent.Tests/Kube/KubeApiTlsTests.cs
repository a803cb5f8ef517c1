using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BandwidthOperator.Agent.Kube;
using k8s;

namespace BandwidthOperator.Agent.Tests.Kube;

/// <summary>
/// What <see cref="KubeApi.Create"/> takes from the configuration for TLS, as KubernetesClient took it: the
/// client certificate and key of a kubeconfig (inline base64 PEM), and the server's certificate trusted
/// when it chains to the configured CA (the kubeconfig's or the pod's <c>ca.crt</c>).
/// </summary>
public sealed class KubeApiTlsTests
{
    [Fact]
    public void A_kubeconfig_client_certificate_comes_with_its_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=system:node:node-a", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var config = new KubernetesClientConfiguration
        {
            Host = "https://127.0.0.1:6443",
            ClientCertificateData = Base64(certificate.ExportCertificatePem()),
            ClientCertificateKeyData = Base64(key.ExportPkcs8PrivateKeyPem()),
        };

        using var loaded = KubeApi.ClientCertificate(config)!;

        loaded.Subject.ShouldBe("CN=system:node:node-a");
        loaded.HasPrivateKey.ShouldBeTrue();
        KubeApi.ClientCertificate(new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" }).ShouldBeNull();
        Should.Throw<InvalidOperationException>(() => KubeApi.ClientCertificate(new KubernetesClientConfiguration
        {
            Host = "https://127.0.0.1:6443",
            ClientCertificateData = config.ClientCertificateData,
        }));
    }

    [Fact]
    public void The_server_is_trusted_when_it_chains_to_the_configured_authority_only()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=kubernetes", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=someone-else", otherKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256)
            .Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(5), [1, 2, 3, 4]);

        KubeApi.TrustedBy([ca], server, SslPolicyErrors.RemoteCertificateChainErrors).ShouldBeTrue();
        KubeApi.TrustedBy([other], server, SslPolicyErrors.RemoteCertificateChainErrors).ShouldBeFalse();
        KubeApi.TrustedBy([ca], server, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors).ShouldBeFalse();
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
}
