using Microsoft.Extensions.Options;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Campaigns.Delivery;

/// <summary>
/// The provider each channel is configured with (<c>OmniConsole:Messaging</c>): SMTP for e-mail, an HTTP gateway for
/// the others, or the sandbox, which <see cref="For"/> answers with null: the dispatcher records its messages as
/// delivered in its own transaction.
/// </summary>
public sealed class MessageSenders(IOptions<MessagingOptions> options, IHttpClientFactory http) : IDisposable
{
    private readonly Lazy<SmtpEmailSender> _smtp = new(() => new SmtpEmailSender(options));
    private readonly Dictionary<Channel, HttpGatewaySender> _gateways = [];
    private readonly Lock _lock = new();

    /// <summary>A channel without a provider: its messages are skipped (the editor refuses such a step).</summary>
    public static readonly IMessageSender NotConfigured = new Unconfigured();

    public IMessageSender? For(Channel channel)
    {
        var provider = options.Value.ProviderOf(channel);
        if (string.Equals(provider, "Sandbox", StringComparison.OrdinalIgnoreCase)) return null;
        if (channel == Channel.Email && string.Equals(provider, "Smtp", StringComparison.OrdinalIgnoreCase)) return _smtp.Value;
        if (channel != Channel.Email && string.Equals(provider, "Http", StringComparison.OrdinalIgnoreCase))
            lock (_lock)
            {
                if (!_gateways.TryGetValue(channel, out var gateway))
                    _gateways[channel] = gateway = new HttpGatewaySender(http.CreateClient("messaging"), options);
                return gateway;
            }
        return NotConfigured;
    }

    public void Dispose()
    {
        if (_smtp.IsValueCreated) _smtp.Value.Dispose();
    }

    private sealed class Unconfigured : IMessageSender
    {
        public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct) =>
            Task.FromResult(new SendResult(SendOutcome.Permanent, $"No provider is configured for {message.Channel}."));
    }
}
