using System.Net;
using System.Text;

namespace OmniConsole.Core.Campaigns.Delivery;

public enum TemplateErrorKind
{
    /// <summary><c>{{something}}</c> where something is not one of <see cref="MessageTemplate.KnownTokens"/>.</summary>
    UnknownToken,
    /// <summary><c>{{</c> with no <c>}}</c> before the next <c>{{</c> or the end of the text.</summary>
    Unclosed,
}

/// <param name="Token">the text as written, braces included (<c>{{firstname}}</c>, or <c>{{first</c> for an unclosed one)</param>
/// <param name="Index">where it starts in the text</param>
/// <param name="Suggestion">the known token it differs from only in case, if any (<c>{{firstName}}</c>)</param>
public sealed record TemplateError(TemplateErrorKind Kind, string Token, int Index, string? Suggestion = null);

/// <summary>
/// The contract's tokens in a message's text. Token names are case-sensitive, as the contract spells them:
/// <c>{{firstname}}</c> is unknown (with <c>{{firstName}}</c> suggested), so a typo is caught in the editor
/// rather than sent to a million customers. Spaces inside the braces are allowed: <c>{{ firstName }}</c>.
/// </summary>
public static class MessageTemplate
{
    public const string FirstName = "firstName";
    public const string LastName = "lastName";
    public const string BonusActive = "bonusActive";
    public const string PromoCode = "promoCode";
    public const string UnsubscribeUrl = "unsubscribeUrl";

    /// <summary>A survey step's personal answer link: known in survey steps only.</summary>
    public const string SurveyUrl = "surveyUrl";

    public static IReadOnlyList<string> KnownTokens { get; } = [FirstName, LastName, BonusActive, PromoCode, UnsubscribeUrl];

    /// <summary>What a survey step's text may hold: the known tokens and its answer link.</summary>
    public static IReadOnlyList<string> SurveyTokens { get; } = [.. KnownTokens, SurveyUrl];

    /// <summary>Points as a customer reads them: whole points without decimals, 49.5 as "49,5" (never rounded up to 50).</summary>
    public static string Points(decimal points, System.Globalization.CultureInfo culture) => points.ToString("#,0.##", culture);

    /// <summary>The text with its unsubscribe link at full length, other tokens as typed: what an SMS's length is checked on.</summary>
    public static string WithLinkLength(string text, string sampleUnsubscribeUrl) =>
        text.Replace(Open + UnsubscribeUrl + Close, sampleUnsubscribeUrl, StringComparison.Ordinal)
            .Replace(Open + SurveyUrl + Close, sampleUnsubscribeUrl, StringComparison.Ordinal); // a survey link is as long


    private const string Open = "{{";
    private const string Close = "}}";

    /// <summary>Unknown and unclosed tokens, in the order they appear; empty when the text is fine.</summary>
    public static IReadOnlyList<TemplateError> Validate(string text) => Validate(text, KnownTokens);

    /// <param name="known">the tokens the text may hold</param>
    public static IReadOnlyList<TemplateError> Validate(string text, IReadOnlyList<string> known)
    {
        var errors = new List<TemplateError>();
        foreach (var token in Scan(text))
        {
            if (token.Name is null)
                errors.Add(new(TemplateErrorKind.Unclosed, text[token.Start..token.End], token.Start));
            else if (!known.Contains(token.Name, StringComparer.Ordinal))
                errors.Add(new(TemplateErrorKind.UnknownToken, text[token.Start..token.End], token.Start,
                    known.FirstOrDefault(k => string.Equals(k, token.Name, StringComparison.OrdinalIgnoreCase)) is { } suggestion
                        ? Open + suggestion + Close
                        : null));
        }
        return errors;
    }

    /// <summary>
    /// Replaces the known tokens with <paramref name="values"/> (a missing or null value renders as nothing);
    /// unknown and unclosed tokens stay as written — <see cref="Validate"/> is where they are refused.
    /// </summary>
    /// <param name="html">HTML-encode the values, for an e-mail body: a name like <c>&lt;b&gt;</c> must not become markup</param>
    public static string Render(string text, IReadOnlyDictionary<string, string?> values, bool html)
    {
        var rendered = new StringBuilder(text.Length + 64);
        var copiedUpTo = 0;
        foreach (var token in Scan(text))
        {
            if (token.Name is null || !SurveyTokens.Contains(token.Name, StringComparer.Ordinal))
                continue;
            rendered.Append(text, copiedUpTo, token.Start - copiedUpTo);
            var value = values.GetValueOrDefault(token.Name) ?? "";
            rendered.Append(html ? WebUtility.HtmlEncode(value) : value);
            copiedUpTo = token.End;
        }
        return rendered.Append(text, copiedUpTo, text.Length - copiedUpTo).ToString();
    }

    /// <summary>Whether the text uses the token (name without braces, e.g. <see cref="PromoCode"/>): a code is issued only then.</summary>
    public static bool UsesToken(string text, string token) =>
        Scan(text).Any(t => string.Equals(t.Name, token, StringComparison.Ordinal));

    /// <param name="Name">the trimmed name between the braces; null when the token is unclosed</param>
    private readonly record struct ScannedToken(int Start, int End, string? Name);

    private static IEnumerable<ScannedToken> Scan(string text)
    {
        var at = 0;
        while ((at = text.IndexOf(Open, at, StringComparison.Ordinal)) >= 0)
        {
            var close = text.IndexOf(Close, at + Open.Length, StringComparison.Ordinal);
            var nextOpen = text.IndexOf(Open, at + Open.Length, StringComparison.Ordinal);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close))
            {
                // Report up to the next "{{" (or the end) so the message shows what was typed, not the rest of the body.
                var end = nextOpen >= 0 ? nextOpen : text.Length;
                yield return new(at, Math.Min(end, at + 40), null);
                at += Open.Length;
                continue;
            }
            yield return new(at, close + Close.Length, text[(at + Open.Length)..close].Trim());
            at = close + Close.Length;
        }
    }
}
