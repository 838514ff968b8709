using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using OmniConsole.Core.Data;

namespace OmniConsole.Web.Setup;

/// <summary>
/// What a back-office with customers' personal data needs before it faces a network: data-protection keys kept in the
/// database (sign-ins survive a restart and work on every instance), the client's address and scheme from a
/// TLS-terminating proxy (so cookies are secure, HSTS is sent and the sign-in limit counts real clients), and headers
/// that keep pages from being framed, sniffed or running scripts from elsewhere.
/// </summary>
public static class SecuritySetup
{
    public const string NonceItem = "csp-nonce";
    private const string ProxySection = "OmniConsole:ForwardedHeaders";

    public static void AddSecurityBaseline(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("OmniConsole").PersistKeysToDbContext<OmniConsoleDbContext>();
        ProtectKeys(dataProtection, builder.Configuration);

        var proxies = builder.Configuration.GetSection($"{ProxySection}:KnownProxies").Get<string[]>() ?? [];
        var networks = builder.Configuration.GetSection($"{ProxySection}:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Loopback is trusted by default (a proxy on the same host); others only when named, so nobody can claim
            // another address past the sign-in limit.
            foreach (var proxy in proxies) o.KnownProxies.Add(Parse<IPAddress?>(proxy, IPAddress.TryParse, "KnownProxies")!);
            foreach (var network in networks) o.KnownIPNetworks.Add(Parse<System.Net.IPNetwork>(network, System.Net.IPNetwork.TryParse, "KnownNetworks"));
        });
        builder.Services.AddHsts(o => { o.MaxAge = TimeSpan.FromDays(365); o.IncludeSubDomains = true; });
        // The sign-in cookie is Secure whenever the request is HTTPS, as the proxy reports it (IdentitySetup); so is this one.
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true; // DENY is sent for every response below
        });
    }

    private const string KeysSection = "DataProtection";

    /// <summary>
    /// The keys sign sign-in cookies, antiforgery tokens and customers' unsubscribe and tracking links. Kept in the
    /// database they are as safe as a backup of it; with <c>DataProtection:CertificatePath</c> (a .pfx with its private
    /// key) and <c>…:CertificatePassword</c> they are stored encrypted to that certificate, so a copy of the database alone
    /// cannot forge a staff sign-in. <c>…:PreviousCertificates:N:Path</c>/<c>:Password</c> still read keys written under
    /// certificates rotated away. A certificate that cannot be read stops the app at start.
    /// </summary>
    private static void ProtectKeys(IDataProtectionBuilder dataProtection, IConfiguration configuration)
    {
        var section = configuration.GetSection(KeysSection);
        if (section["CertificatePath"] is not { Length: > 0 } path) return;
        var current = LoadCertificate(path, section["CertificatePassword"], $"{KeysSection}:CertificatePath");
        dataProtection.ProtectKeysWithCertificate(current);
        var previous = section.GetSection("PreviousCertificates").GetChildren()
            .Select(c => LoadCertificate(c["Path"] ?? "", c["Password"], $"{KeysSection}:PreviousCertificates:{c.Key}:Path")).ToArray();
        if (previous.Length > 0) dataProtection.UnprotectKeysWithAnyCertificate([current, .. previous]);
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadCertificate(string path, string? password, string key)
    {
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        try
        {
            certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"{key} is '{path}', which cannot be read as a .pfx certificate with the password given ({e.Message}).", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{key} is '{path}', a certificate without its private key; the keys could be written but never read back.");
        return certificate;
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static T Parse<T>(string text, TryParse<T> parse, string key) => parse(text.Trim(), out var value)
        ? value : throw new InvalidOperationException($"{ProxySection}:{key} has '{text}', which is not an IP {(key == "KnownProxies" ? "address" : "network such as 10.0.0.0/8")}.");

    /// <summary>First in the pipeline: everything after it sees the client's address and scheme.</summary>
    public static void UseForwardedClient(this WebApplication app) => app.UseForwardedHeaders();

    public static void UseSecurityHeaders(this WebApplication app) => app.Use(async (http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Same-origin only: card links carry what was searched (?q=…) and must not leak to other sites.
        headers["Referrer-Policy"] = "same-origin";
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            // The one inline script is the import map; it carries this request's nonce. MudBlazor sets inline styles.
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: nothing in it is escaped in the HTML attribute
            http.Items[NonceItem] = nonce;
            headers.ContentSecurityPolicy = $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; " +
                "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
                "form-action 'self'; frame-ancestors 'none'";
        }
        await next();
    });
}
