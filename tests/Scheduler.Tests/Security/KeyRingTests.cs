using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Security;

/// <summary>Finding 8 of the security review: the data-protection key ring in PostgreSQL, encrypted at rest with a configured certificate.</summary>
public sealed class KeyRingTests
{
    [Fact]
    public async Task With_a_certificate_the_key_ring_is_stored_encrypted_and_every_node_holding_it_reads_sessions()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_keyring");
        var pfx = Path.Combine(Path.GetTempPath(), $"keyring-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=scheduler key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        }

        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Scheduler:Auth:KeyRingCertificate"] = pfx,
                ["Scheduler:Auth:KeyRingCertificatePassword"] = "pfx-password",
            };
            await using var a = await WebNode.StartAsync(db, "keyring-a", settings);
            await using var b = await WebNode.StartAsync(db, "keyring-b", settings);
            using var session = await DashboardSession.SignInAsync(a, WebNode.ViewerKey);

            Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync(new Uri(b.Address, "/jobs"))).StatusCode);
            var xml = await db.ScalarAsync<string>("SELECT string_agg(xml, ' ') FROM scheduler_dataprotection_keys");
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pfx);
        }
    }
}
