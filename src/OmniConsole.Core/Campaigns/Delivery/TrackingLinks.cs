using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace OmniConsole.Core.Campaigns.Delivery;

public enum TrackingKind : byte
{
    Open = 1,
    Click = 2,
    Unsubscribe = 3,
    Survey = 4,
}

/// <summary>
/// The open pixel, click-through and unsubscribe links of a message, under <see cref="MessagingOptions.PublicBaseUrl"/>.
/// A token is the message id (and for a click the target URL) protected by ASP.NET Core data protection, so it cannot be
/// forged or edited — no guessing another customer's unsubscribe link, no open redirect through <c>/t/c/</c> — and
/// needs no database row. The kind is inside the protected payload: an open token read as an unsubscribe is refused.
/// Tokens stay valid only as long as the data-protection keys do, so the app must persist them (it does, in the database).
/// </summary>
public sealed class TrackingLinks
{
    /// <summary>Where every customer-facing link lives (limited per client address, see RateLimits).</summary>
    public const string PathBase = "/t";
    public const string OpenPath = "/t/o/";
    public const string ClickPath = "/t/c/";
    public const string UnsubscribePath = "/t/u/";
    public const string SurveyPath = "/t/s/";

    private const string Purpose = "OmniConsole.Campaigns.TrackingLinks.v1";

    private readonly IDataProtector protector;
    private readonly string baseUrl;

    public TrackingLinks(IDataProtectionProvider dataProtection, IOptions<MessagingOptions> options)
    {
        protector = dataProtection.CreateProtector(Purpose);
        baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
    }

    public string OpenPixelUrl(long messageId) => baseUrl + OpenPath + Protect(TrackingKind.Open, messageId, null);

    public string ClickUrl(long messageId, string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        return baseUrl + ClickPath + Protect(TrackingKind.Click, messageId, url);
    }

    public string UnsubscribeUrl(long messageId) => baseUrl + UnsubscribePath + Protect(TrackingKind.Unsubscribe, messageId, null);

    /// <summary>A survey message's personal answer page (<c>{{surveyUrl}}</c>).</summary>
    public string SurveyUrl(long messageId) => baseUrl + SurveyPath + SurveyToken(messageId);

    /// <summary>The survey link's token alone (what the answer page takes).</summary>
    public string SurveyToken(long messageId) => Protect(TrackingKind.Survey, messageId, null);

    /// <summary>
    /// A stand-in for a message's unsubscribe link, as long as the real one (the token is ~130 characters): previews and
    /// the SMS length check count the link a customer gets, not the 18 characters of <c>{{unsubscribeUrl}}</c>.
    /// </summary>
    public string SampleUnsubscribeUrl => _sampleUnsubscribeUrl ??= baseUrl + UnsubscribePath + new string('x', UnsubscribeUrl(long.MaxValue).Length - baseUrl.Length - UnsubscribePath.Length);
    private string? _sampleUnsubscribeUrl;

    /// <summary>Whether a URL is one of ours (pixel, click-through, unsubscribe): such a link is never wrapped again.</summary>
    public bool IsTrackingUrl(string url) =>
        url.StartsWith(baseUrl + "/t/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads any kind of token; the caller must check <paramref name="kind"/> (or use the overload that does).</summary>
    /// <param name="url">the click's target URL; null for the other kinds</param>
    public bool TryRead(string token, out long messageId, out string? url, out TrackingKind kind)
    {
        messageId = 0;
        url = null;
        kind = default;
        byte[] payload;
        try
        {
            payload = protector.Unprotect(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }

        if (payload.Length < 2 || !Enum.IsDefined((TrackingKind)payload[0]))
            return false;
        kind = (TrackingKind)payload[0];
        using var reader = new BinaryReader(new MemoryStream(payload, 1, payload.Length - 1), Encoding.UTF8);
        try
        {
            messageId = reader.Read7BitEncodedInt64();
            url = kind == TrackingKind.Click ? reader.ReadString() : null;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            return false;
        }
        return true;
    }

    /// <summary>Reads a token only if it is of the <paramref name="expected"/> kind: what each endpoint should call.</summary>
    public bool TryRead(string token, TrackingKind expected, out long messageId, out string? url)
    {
        if (TryRead(token, out messageId, out url, out var kind) && kind == expected)
            return true;
        messageId = 0;
        url = null;
        return false;
    }

    private string Protect(TrackingKind kind, long messageId, string? url)
    {
        // A compact binary payload (kind, 7-bit encoded id, length-prefixed UTF-8 URL) keeps an open or unsubscribe
        // token to one cipher block: about 130 characters, most of them data protection's own header and MAC.
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)kind);
            writer.Write7BitEncodedInt64(messageId);
            if (url is not null)
                writer.Write(url);
        }
        return Base64Url.EncodeToString(protector.Protect(buffer.ToArray()));
    }
}
