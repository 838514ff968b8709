using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Campaigns.Delivery;

/// <summary>
/// SMS, Viber, Telegram and push through an HTTP gateway: <c>POST Url</c> with <c>{ "messageId", "to", "text" }</c>,
/// the Url from <see cref="MessagingOptions"/> per channel. The gateway can use <c>messageId</c> (the same on every
/// retry) to drop a duplicate when our retry follows a request whose answer was lost.
/// </summary>
public sealed partial class HttpGatewaySender : IMessageSender
{
    private readonly HttpClient http;
    private readonly MessagingOptions options;
    private readonly TimeSpan? timeout;

    /// <param name="http">e.g. a typed client from <c>AddHttpClient&lt;HttpGatewaySender&gt;()</c>; its own timeout is left alone</param>
    /// <param name="timeout">per request; the channel's <c>TimeoutSeconds</c> (10 s) unless given</param>
    public HttpGatewaySender(HttpClient http, IOptions<MessagingOptions> options, TimeSpan? timeout = null)
    {
        this.http = http;
        this.options = options.Value;
        this.timeout = timeout;
    }

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var gateway = options.GatewayOf(message.Channel)
            ?? throw new ArgumentException($"{nameof(HttpGatewaySender)} does not carry {message.Channel}.", nameof(message));
        // A missing Url is a configuration fault, not this message's: retried once someone sets it.
        if (!Uri.TryCreate(gateway.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return new(SendOutcome.Transient, $"{MessagingOptions.Section}:{message.Channel}:Url '{gateway.Url}' is not an http(s) URL");
        if (message.Channel != Channel.Push && !E164().IsMatch(message.To))
            return new(SendOutcome.Permanent, $"'{message.To}' is not a phone number in E.164");

        var timeout = this.timeout ?? gateway.Timeout;
        using var requestTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        requestTimeout.CancelAfter(timeout);
        try
        {
            using var response = await http.PostAsJsonAsync(url, new GatewayRequest(message.MessageId, message.To, message.Body), requestTimeout.Token);
            return response.IsSuccessStatusCode
                ? SendResult.Accepted
                : new(Classify(response.StatusCode), $"HTTP {(int)response.StatusCode}: {await ShortBodyAsync(response, requestTimeout.Token)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(SendOutcome.Transient, $"no answer from the gateway in {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            // Refused, reset, DNS, TLS: the gateway is unreachable for now.
            return new(SendOutcome.Transient, $"{e.HttpRequestError}: {e.Message}");
        }
    }

    /// <summary>408, 429 and 5xx (and anything odd, such as a redirect) are worth retrying; other 4xx say this request will never do.</summary>
    internal static SendOutcome Classify(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => SendOutcome.Accepted,
        408 or 429 => SendOutcome.Transient,
        >= 400 and < 500 => SendOutcome.Permanent,
        _ => SendOutcome.Transient,
    };

    /// <summary>The start of the gateway's answer, for the outbox row's error: enough to see why, not a whole HTML error page.</summary>
    private static async Task<string> ShortBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            return body.Length <= 200 ? body : body[..200] + "…";
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return response.ReasonPhrase ?? "";
        }
    }

    private sealed record GatewayRequest(
        [property: JsonPropertyName("messageId")] string MessageId,
        [property: JsonPropertyName("to")] string To,
        [property: JsonPropertyName("text")] string Text);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
