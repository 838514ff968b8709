using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Data;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Data-protection keys sign staff cookies and customers' links; kept in the database, they are encrypted to a
/// configured certificate so that a copy of the database alone cannot forge them.
/// </summary>
public sealed class DataProtectionKeyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("omni-dp-").FullName;

    private string Certificate(string password, bool withPrivateKey = true)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=OmniConsole data protection", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, withPrivateKey ? made.Export(X509ContentType.Pfx, password) : made.Export(X509ContentType.Cert));
        return path;
    }

    private static async Task<List<string>> StoredKeysAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }

    [Fact]
    public async Task WithACertificateTheStoredKeysAreEncryptedAndStillReadAfterARestart()
    {
        var pfx = Certificate("s3cret-Pfx");
        using var app = new OmniConsoleFactory();
        using var first = app.WithWebHostBuilder(b => { b.UseSetting("DataProtection:CertificatePath", pfx); b.UseSetting("DataProtection:CertificatePassword", "s3cret-Pfx"); });
        var token = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("customer 42");

        var keys = await StoredKeysAsync(first.Services);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedData", xml);
            Assert.DoesNotContain("<masterKey", xml); // the plain key material ASP.NET Core writes without protection
        });

        // Another instance (or a restart) with the same certificate reads the keys and the token.
        using var second = app.WithWebHostBuilder(b => { b.UseSetting("DataProtection:CertificatePath", pfx); b.UseSetting("DataProtection:CertificatePassword", "s3cret-Pfx"); });
        Assert.Equal("customer 42", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(token));
    }

    [Fact]
    public void ACertificateThatCannotBeReadStopsTheAppAtStart()
    {
        foreach (var (path, password, expected) in new[]
        {
            (Path.Combine(_folder, "missing.pfx"), "x", "DataProtection:CertificatePath is"),
            (Certificate("right"), "wrong", "cannot be read as a .pfx certificate"),
        })
        {
            using var wrong = new OmniConsoleFactory().WithWebHostBuilder(b =>
            {
                b.UseSetting("DataProtection:CertificatePath", path);
                b.UseSetting("DataProtection:CertificatePassword", password);
            });
            var error = Assert.ThrowsAny<Exception>(() => wrong.CreateClient());
            Assert.Contains(expected, error.ToString());
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
