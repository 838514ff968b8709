using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Campaigns.Delivery;

/// <summary>
/// E-mail over SMTP with MailKit. One connection is kept and reused from message to message (a batch costs one
/// connect and one login, not one per message); sends are serialised on it, since an SMTP conversation carries one
/// message at a time. It is dropped after any failure and when idle for a while, so a server that closed it quietly
/// costs a reconnect, not a failed message.
/// </summary>
public sealed class SmtpEmailSender : IMessageSender, IAsyncDisposable, IDisposable
{
    /// <summary>Servers may close an idle connection after a few minutes (RFC 5321 allows 5); well before that we reconnect.</summary>
    private static readonly TimeSpan ReuseWhileIdleFor = TimeSpan.FromSeconds(30);
    /// <summary>For connecting and for each SMTP command, unless the constructor is given another.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    /// <summary>The most SMTP commands one send may wait on: connect, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA, the message.</summary>
    public const int CommandsPerSend = 9;

    private readonly EmailProviderOptions options;
    private readonly TimeProvider time;
    private readonly TimeSpan timeout;
    private readonly System.Net.Security.RemoteCertificateValidationCallback? certificateValidation;
    private readonly SemaphoreSlim connectionLock = new(1, 1);
    private SmtpClient? connection;
    private DateTimeOffset lastUsed;

    /// <param name="timeout">for connecting and for each SMTP command; 30 s unless given</param>
    /// <param name="certificateValidation">tests trust their own server's certificate with it; the app leaves MailKit's check (the system's trusted roots)</param>
    public SmtpEmailSender(IOptions<MessagingOptions> options, TimeProvider? time = null, TimeSpan? timeout = null,
        System.Net.Security.RemoteCertificateValidationCallback? certificateValidation = null)
    {
        this.certificateValidation = certificateValidation;
        this.options = options.Value.Email;
        this.time = time ?? TimeProvider.System;
        this.timeout = timeout ?? CommandTimeout;
    }

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        if (message.Channel != Channel.Email)
            throw new ArgumentException($"{nameof(SmtpEmailSender)} sends e-mail, not {message.Channel}.", nameof(message));

        // A malformed address fails the same way on every retry: no need to ask the server.
        if (!MailboxAddress.TryParse(message.To, out var to) || string.IsNullOrEmpty(to.Domain))
            return new(SendOutcome.Permanent, $"'{message.To}' is not an e-mail address");
        if (!MailboxAddress.TryParse(options.From, out var from))
            return new(SendOutcome.Transient, $"{MessagingOptions.Section}:Email:From '{options.From}' is not an e-mail address");

        var mime = Compose(message, from, to);

        await connectionLock.WaitAsync(ct);
        try
        {
            var smtp = await OpenConnectionAsync(ct);
            await smtp.SendAsync(mime, ct);
            lastUsed = time.GetUtcNow();
            return SendResult.Accepted;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancelled mid-conversation: the connection's state is unknown.
            DropConnection();
            throw;
        }
        catch (Exception e)
        {
            DropConnection();
            return Classify(e);
        }
        finally
        {
            connectionLock.Release();
        }
    }

    internal static MimeMessage Compose(OutgoingMessage message, MailboxAddress from, MailboxAddress to)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject ?? "",
            // The outbox id, the same on every retry: a server or a reader can tell a retry from a second message.
            MessageId = $"{message.MessageId}@omniconsole",
            Body = new BodyBuilder { HtmlBody = message.Body, TextBody = EmailHtml.ToPlainText(message.Body) }.ToMessageBody(),
        };
        mime.From.Add(from);
        mime.To.Add(to);
        if (!string.IsNullOrEmpty(message.UnsubscribeUrl))
        {
            mime.Headers.Add(HeaderId.ListUnsubscribe, $"<{message.UnsubscribeUrl}>");
            // RFC 8058: the mail client's own "unsubscribe" button POSTs this to the link; the link's GET only asks.
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        return mime;
    }

    /// <summary>
    /// SMTP 5xx for the recipient or the message: it will never go (Permanent). Everything else — refused or dropped
    /// connections, timeouts, TLS and login failures, 4xx, and a 5xx for our own sender address — is about the
    /// server or our configuration, not this message, so it is retried (Transient) rather than lost.
    /// </summary>
    internal static SendResult Classify(Exception e) => e switch
    {
        SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted } command
            when (int)command.StatusCode >= 500
            => new(SendOutcome.Permanent, $"SMTP {(int)command.StatusCode}: {command.Message}"),
        SmtpCommandException command => new(SendOutcome.Transient, $"SMTP {(int)command.StatusCode}: {command.Message}"),
        _ => new(SendOutcome.Transient, $"{e.GetType().Name}: {e.Message}"),
    };

    private async Task<SmtpClient> OpenConnectionAsync(CancellationToken ct)
    {
        if (connection is { IsConnected: true } && time.GetUtcNow() - lastUsed < ReuseWhileIdleFor)
            return connection;

        DropConnection();
        var smtp = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        connection = smtp;
        if (certificateValidation is not null) smtp.ServerCertificateValidationCallback = certificateValidation;
        await smtp.ConnectAsync(options.Host, options.Port, SocketSecurity(options), ct);
        if (!string.IsNullOrEmpty(options.UserName))
            await smtp.AuthenticateAsync(options.UserName, options.Password ?? "", ct);
        return smtp;
    }

    /// <summary>
    /// Encrypted whenever the server allows it, unless configured otherwise (<see cref="EmailProviderOptions.Security"/>):
    /// the messages carry customers' names, addresses and personal links.
    /// </summary>
    internal static SecureSocketOptions SocketSecurity(EmailProviderOptions options) => SecurityModes.Of(options) switch
    {
        SecurityModes.None => SecureSocketOptions.None,
        SecurityModes.StartTls => SecureSocketOptions.StartTls,
        SecurityModes.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => options.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable,
    };

    /// <summary>Closes the socket without a QUIT: used after a failure, when the conversation cannot be trusted.</summary>
    private void DropConnection()
    {
        connection?.Dispose();
        connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await connectionLock.WaitAsync();
        try
        {
            if (connection is { IsConnected: true })
            {
                try
                {
                    await connection.DisconnectAsync(quit: true);
                }
                catch (Exception e) when (e is IOException or MailKit.ProtocolException or System.Net.Sockets.SocketException)
                {
                    // Saying goodbye is a courtesy; the socket is closed below either way.
                }
            }
            DropConnection();
        }
        finally
        {
            connectionLock.Release();
        }
    }

    public void Dispose()
    {
        connectionLock.Wait();
        try
        {
            DropConnection();
        }
        finally
        {
            connectionLock.Release();
        }
    }
}
