using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Campaigns.Delivery;

/// <summary>
/// One message ready to leave: rendered, addressed, with the outbox row's id as <see cref="MessageId"/> — the same id on
/// every retry, so a gateway (or a mail server's Message-ID) can tell a retry from a second message.
/// </summary>
/// <param name="To">e-mail address for e-mail; E.164 phone for SMS, Viber, Telegram; the customer id for push</param>
/// <param name="Subject">e-mail only</param>
/// <param name="Body">e-mail: HTML with the tracking pixel and rewritten links already in it; others: plain text</param>
/// <param name="UnsubscribeUrl">e-mail: sent as the <c>List-Unsubscribe</c> header, so mail clients offer their own unsubscribe button</param>
public sealed record OutgoingMessage(string MessageId, Channel Channel, string To, string? Subject, string Body, long CustomerId, string CampaignId, string? UnsubscribeUrl = null);

public enum SendOutcome
{
    /// <summary>The provider took the message (SMTP: the server accepted it; HTTP: a 2xx).</summary>
    Accepted,
    /// <summary>Worth trying again later: timeout, connection refused, 5xx, 429, SMTP 4xx.</summary>
    Transient,
    /// <summary>Will never go: a rejected address, an HTTP 4xx other than 408/429, SMTP 5xx for the recipient.</summary>
    Permanent,
}

public sealed record SendResult(SendOutcome Outcome, string? Error = null)
{
    public static readonly SendResult Accepted = new(SendOutcome.Accepted);
}

/// <summary>A way out for one or more channels: e-mail over SMTP, an HTTP gateway, or the sandbox.</summary>
public interface IMessageSender
{
    /// <summary>Sends one message; never throws for a provider's failure (it is a <see cref="SendResult"/>), only for cancellation.</summary>
    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct);
}
