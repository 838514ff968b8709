using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using netDumbster.smtp;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Tests.Campaigns;

public sealed class SmtpEmailSenderTests
{
    private const long MessageId = 9001;

    private static IOptions<MessagingOptions> Smtp(int port) => Options.Create(new MessagingOptions
    {
        Email = new() { Provider = "Smtp", Host = "127.0.0.1", Port = port, From = "Shop <news@shop.example>" },
    });

    private static OutgoingMessage Email(string to, string body = "<p>Hi</p>", string? unsubscribeUrl = null) =>
        new(MessageId.ToString(), Channel.Email, to, "Добро пожаловать, Анна", body, 17, "welcome", unsubscribeUrl);

    [Fact]
    public async Task EmailIsReadBackWithSubjectTokensTrackingAndUnsubscribe()
    {
        var port = HttpGatewaySenderTests.FreePort();
        using var server = SimpleSmtpServer.Start(port);
        var links = TrackingLinksTests.NewLinks();
        var unsubscribe = links.UnsubscribeUrl(MessageId);
        var template = """
            <html><body>
            <h1>Здравствуйте, {{ firstName }}!</h1>
            <p>Ваш код: {{promoCode}}. Бонусов: {{bonusActive}}.</p>
            <p><a href="https://shop.example/sale?from=mail&amp;step=1">Распродажа</a></p>
            <p><a href="{{unsubscribeUrl}}">Отписаться</a></p>
            </body></html>
            """;
        var html = EmailHtml.WithTracking(MessageTemplate.Render(template, new Dictionary<string, string?>
        {
            [MessageTemplate.FirstName] = "Анна",
            [MessageTemplate.PromoCode] = "WELCOME-7Q2K",
            [MessageTemplate.BonusActive] = "1 250",
            [MessageTemplate.UnsubscribeUrl] = unsubscribe,
        }, html: true), MessageId, links);
        await using var sender = new SmtpEmailSender(Smtp(port));

        var result = await sender.SendAsync(Email("anna@example.com", html, unsubscribe), CancellationToken.None);

        Assert.Equal(SendResult.Accepted, result);
        var mail = ReadBack(Assert.Single(server.ReceivedEmail));
        Assert.Equal("Добро пожаловать, Анна", mail.Subject);
        Assert.Equal("9001@omniconsole", mail.MessageId);
        Assert.Equal("news@shop.example", Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal("anna@example.com", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal($"<{unsubscribe}>", mail.Headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]); // RFC 8058: the mail client's button posts it

        var body = mail.HtmlBody ?? "";
        Assert.Contains("Здравствуйте, Анна!", body);
        Assert.Contains("Ваш код: WELCOME-7Q2K. Бонусов: 1 250.", body);
        Assert.DoesNotContain("{{", body);

        var pixelToken = Between(body, "<img src=\"https://omni.example/t/o/", "\" width=\"1\" height=\"1\"");
        Assert.True(links.TryRead(pixelToken, TrackingKind.Open, out var openedId, out _));
        Assert.Equal(MessageId, openedId);

        var clickToken = Between(body, "<a href=\"https://omni.example/t/c/", "\">Распродажа</a>");
        Assert.True(links.TryRead(clickToken, TrackingKind.Click, out var clickedId, out var target));
        Assert.Equal((MessageId, "https://shop.example/sale?from=mail&step=1"), (clickedId, target));

        Assert.Contains($"<a href=\"{unsubscribe}\">Отписаться</a>", body);
        Assert.True(links.TryRead(unsubscribe[(TrackingLinksTests.BaseUrl + "/t/u/").Length..], TrackingKind.Unsubscribe, out var unsubscribedId, out _));
        Assert.Equal(MessageId, unsubscribedId);

        // The plain-text alternative carries the same words and working links.
        Assert.Contains("Здравствуйте, Анна!", mail.TextBody);
        Assert.Contains($"Отписаться ({unsubscribe})", mail.TextBody);
        Assert.DoesNotContain("<", mail.TextBody);
    }

    [Fact]
    public async Task SeveralMessagesGoThroughOneSender()
    {
        var port = HttpGatewaySenderTests.FreePort();
        using var server = SimpleSmtpServer.Start(port);
        await using var sender = new SmtpEmailSender(Smtp(port));

        foreach (var to in new[] { "a@example.com", "b@example.com", "c@example.com" })
            Assert.Equal(SendResult.Accepted, await sender.SendAsync(Email(to), CancellationToken.None));

        Assert.Equal(["a@example.com", "b@example.com", "c@example.com"],
            server.ReceivedEmail.Select(m => ReadBack(m).To.Mailboxes.Single().Address).Order());
    }

    [Fact]
    public async Task ServerNotListeningIsTransient()
    {
        await using var sender = new SmtpEmailSender(Smtp(HttpGatewaySenderTests.FreePort()));

        var result = await sender.SendAsync(Email("anna@example.com"), CancellationToken.None);

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.NotNull(result.Error);
    }

    [Theory]
    [InlineData("anna")]
    [InlineData("anna@")]
    [InlineData("anna example.com")]
    [InlineData("")]
    public async Task MalformedAddressIsPermanentWithoutAskingTheServer(string to)
    {
        // No server listens: had the sender tried to connect, the outcome would be Transient.
        await using var sender = new SmtpEmailSender(Smtp(HttpGatewaySenderTests.FreePort()));

        var result = await sender.SendAsync(Email(to), CancellationToken.None);

        Assert.Equal(SendOutcome.Permanent, result.Outcome);
    }

    [Theory]
    [InlineData("550 5.1.1 No such user", SendOutcome.Permanent)]
    [InlineData("553 5.1.3 Bad recipient address syntax", SendOutcome.Permanent)]
    [InlineData("450 4.2.1 Mailbox busy, try later", SendOutcome.Transient)]
    [InlineData("452 4.3.1 Insufficient system storage", SendOutcome.Transient)]
    public async Task ServersAnswerToTheRecipientDecidesTheOutcome(string reply, SendOutcome outcome)
    {
        await using var server = new ScriptedSmtpServer(recipient => recipient.Contains("anna") ? reply : "250 OK");
        await using var sender = new SmtpEmailSender(Smtp(server.Port));

        var result = await sender.SendAsync(Email("anna@example.com"), CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        Assert.StartsWith($"SMTP {reply[..3]}", result.Error);
        Assert.Equal(0, server.MessagesAccepted);
    }

    [Fact]
    public async Task RejectionOfOurSenderAddressIsTransientBecauseItIsOurConfiguration()
    {
        await using var server = new ScriptedSmtpServer(_ => "250 OK", mailFromReply: "550 5.7.1 Sender not allowed");
        await using var sender = new SmtpEmailSender(Smtp(server.Port));

        var result = await sender.SendAsync(Email("anna@example.com"), CancellationToken.None);

        Assert.Equal(SendOutcome.Transient, result.Outcome);
    }

    [Fact]
    public async Task ConnectionIsReusedAndReopenedAfterAFailureOrWhenIdle()
    {
        await using var server = new ScriptedSmtpServer(recipient => recipient.Contains("nobody") ? "550 5.1.1 No such user" : "250 OK");
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2025-03-01T10:00:00Z"));
        await using var sender = new SmtpEmailSender(Smtp(server.Port), clock);

        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Email("a@example.com"), CancellationToken.None));
        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Email("b@example.com"), CancellationToken.None));
        Assert.Equal(1, server.Connections);

        Assert.Equal(SendOutcome.Permanent, (await sender.SendAsync(Email("nobody@example.com"), CancellationToken.None)).Outcome);
        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Email("c@example.com"), CancellationToken.None));
        Assert.Equal(2, server.Connections);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Email("d@example.com"), CancellationToken.None));
        Assert.Equal(3, server.Connections);
        Assert.Equal(4, server.MessagesAccepted);
    }

    /// <summary>A self-signed certificate for the test server; the sender under test trusts exactly it.</summary>
    private static readonly X509Certificate2 ServerCertificate = MakeCertificate();

    private static X509Certificate2 MakeCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    private static bool TrustTheTestServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == ServerCertificate.GetCertHashString();

    private static SmtpEmailSender Sender(int port, string? security = null, bool? useTls = null) => new(Options.Create(new MessagingOptions
    {
        Email = new() { Provider = "Smtp", Host = "127.0.0.1", Port = port, From = "Shop <news@shop.example>", Security = security, UseTls = useTls },
    }), certificateValidation: TrustTheTestServer);

    [Fact]
    public async Task ByDefaultMailGoesOverStartTlsWhenTheServerOffersIt()
    {
        await using var server = new ScriptedSmtpServer(_ => "250 OK", startTls: ServerCertificate);
        await using var sender = Sender(server.Port);

        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Email("anna@example.com"), CancellationToken.None));

        Assert.Equal((1, 1), (server.TlsSessions, server.MessagesOverTls));
    }

    [Fact]
    public async Task ByDefaultAServerWithoutStartTlsStillGetsTheMail()
    {
        await using var server = new ScriptedSmtpServer(_ => "250 OK");
        await using var sender = Sender(server.Port);

        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Email("anna@example.com"), CancellationToken.None));
        Assert.Equal((0, 1), (server.TlsSessions, server.MessagesAccepted));
    }

    [Theory]
    [InlineData("StartTls", null)]
    [InlineData(null, true)] // the older switch keeps its meaning: TLS required
    public async Task RequiredTlsRefusesAServerWithoutIt(string? security, bool? useTls)
    {
        await using var plain = new ScriptedSmtpServer(_ => "250 OK");
        await using var sender = Sender(plain.Port, security, useTls);

        var result = await sender.SendAsync(Email("anna@example.com"), CancellationToken.None);

        Assert.Equal(SendOutcome.Transient, result.Outcome); // our configuration, not the message: retried, never sent in the clear
        Assert.Equal(0, plain.MessagesAccepted);

        await using var offering = new ScriptedSmtpServer(_ => "250 OK", startTls: ServerCertificate);
        await using var again = Sender(offering.Port, security, useTls);
        Assert.Equal(SendResult.Accepted, await again.SendAsync(Email("anna@example.com"), CancellationToken.None));
        Assert.Equal(1, offering.MessagesOverTls);
    }

    [Theory]
    [InlineData("None", null)]
    [InlineData(null, false)]
    public async Task TlsSwitchedOffSendsInTheClearEvenWhenOffered(string? security, bool? useTls)
    {
        await using var server = new ScriptedSmtpServer(_ => "250 OK", startTls: ServerCertificate);
        await using var sender = Sender(server.Port, security, useTls);

        Assert.Equal(SendResult.Accepted, await sender.SendAsync(Email("anna@example.com"), CancellationToken.None));
        Assert.Equal((0, 1), (server.TlsSessions, server.MessagesAccepted));
    }

    [Theory]
    [InlineData("Sometimes", null, "OmniConsole:Messaging:Email:Security is 'Sometimes'")]
    [InlineData("None", true, "OmniConsole:Messaging:Email:UseTls is true but")]
    [InlineData("StartTls", false, "OmniConsole:Messaging:Email:UseTls is false but")]
    public void ASecuritySettingItCannotHonourIsRefused(string security, bool? useTls, string expected)
    {
        var result = new MessagingOptionsValidator().Validate(null, new MessagingOptions { Email = new() { Security = security, UseTls = useTls } });
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
        Assert.True(new MessagingOptionsValidator().Validate(null, new MessagingOptions { Email = new() { Security = "starttls", UseTls = true } }).Succeeded);
    }

    private static MimeMessage ReadBack(SmtpMessage received) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(received.Data)));

    private static string Between(string text, string before, string after)
    {
        var start = text.IndexOf(before, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{before}' not found in {text}");
        start += before.Length;
        var end = text.IndexOf(after, start, StringComparison.Ordinal);
        Assert.True(end >= 0, $"'{after}' not found after '{before}' in {text}");
        return text[start..end];
    }

    /// <summary>
    /// A minimal SMTP server with scripted answers to MAIL FROM and RCPT TO, for the replies netDumbster cannot give;
    /// it counts connections, so reuse of one connection is visible.
    /// </summary>
    private sealed class ScriptedSmtpServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly Func<string, string> recipientReply;
        private readonly string mailFromReply;
        private readonly X509Certificate2? startTls;
        private readonly CancellationTokenSource stop = new();
        private readonly Task serving;
        private int connections;
        private int messagesAccepted;
        private int messagesOverTls;
        private int tlsSessions;

        /// <param name="startTls">offer STARTTLS in the EHLO reply, with this certificate</param>
        public ScriptedSmtpServer(Func<string, string> recipientReply, string mailFromReply = "250 OK", X509Certificate2? startTls = null)
        {
            this.recipientReply = recipientReply;
            this.mailFromReply = mailFromReply;
            this.startTls = startTls;
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            serving = AcceptAsync();
        }

        public int Port { get; }
        public int Connections => Volatile.Read(ref connections);
        public int MessagesAccepted => Volatile.Read(ref messagesAccepted);
        public int MessagesOverTls => Volatile.Read(ref messagesOverTls);
        public int TlsSessions => Volatile.Read(ref tlsSessions);

        private async Task AcceptAsync()
        {
            var conversations = new List<Task>();
            try
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                    conversations.Add(ConverseAsync(client));
                }
            }
            catch (OperationCanceledException)
            {
            }
            await Task.WhenAll(conversations);
        }

        private async Task ConverseAsync(TcpClient client)
        {
            using var _ = client;
            try
            {
                Stream stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII);
                var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                var secured = false;
                await writer.WriteLineAsync("220 scripted ESMTP");
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO" when startTls is not null && !secured:
                            await writer.WriteLineAsync("250-scripted");
                            await writer.WriteLineAsync("250 STARTTLS");
                            break;
                        case "STARTTLS" when startTls is not null && !secured:
                            await writer.WriteLineAsync("220 go ahead");
                            var tls = new SslStream(stream);
                            await tls.AuthenticateAsServerAsync(startTls);
                            (stream, secured) = (tls, true);
                            Interlocked.Increment(ref tlsSessions);
                            reader = new StreamReader(stream, Encoding.ASCII);
                            writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                            break;
                        case "MAIL":
                            await writer.WriteLineAsync(mailFromReply);
                            break;
                        case "RCPT":
                            await writer.WriteLineAsync(recipientReply(line));
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 go ahead");
                            while (await reader.ReadLineAsync(stop.Token) is { } dataLine && dataLine != ".")
                            {
                            }
                            Interlocked.Increment(ref messagesAccepted);
                            if (secured) Interlocked.Increment(ref messagesOverTls);
                            await writer.WriteLineAsync("250 queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default:
                            await writer.WriteLineAsync("250 scripted");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
            {
                // The client hung up or the test is over.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await serving;
            stop.Dispose();
        }
    }
}
