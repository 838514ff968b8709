using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using Polly;
using Polly.CircuitBreaker;

namespace OmniConsole.Core.Campaigns.Delivery;

/// <summary>A channel whose provider keeps failing: paused since when, until its next try, and the provider's last answer.</summary>
public sealed record ChannelPause(Channel Channel, DateTime SinceUtc, DateTime RetryAtUtc, string? Reason);

/// <summary>
/// One circuit breaker per channel (Polly): when a provider keeps failing for now (timeouts, 5xx, SMTP 4xx), its channel
/// pauses and its messages wait in the queue instead of using up their attempts; after the break one send tries the
/// provider again. What is paused, since when and why is what the results and the dashboard show.
/// </summary>
public sealed class ChannelBreakers
{
    private readonly ConcurrentDictionary<Channel, ResiliencePipeline<SendResult>> _pipelines = new();
    private readonly ConcurrentDictionary<Channel, ChannelPause> _paused = new();
    private readonly TimeProvider _clock;
    private readonly BreakerOptions _options;

    public ChannelBreakers(TimeProvider clock, IOptions<MessagingOptions> messaging)
    {
        _clock = clock;
        _options = messaging.Value.Breaker;
    }

    /// <summary>The channel's pause while it is in force (null: it sends, or its break is over and the next send tries it).</summary>
    public ChannelPause? PausedNow(Channel channel) =>
        _paused.TryGetValue(channel, out var pause) && _clock.GetUtcNow().UtcDateTime < pause.RetryAtUtc ? pause : null;

    /// <summary>Every channel paused now or waiting for its trial send, for the results page and the dashboard.</summary>
    public IReadOnlyList<ChannelPause> Paused() => _paused.Values.OrderBy(p => p.Channel).ToList();

    /// <summary>Sends through the channel's breaker; null when the channel is paused (nothing was sent).</summary>
    public async Task<SendResult?> SendAsync(IMessageSender sender, OutgoingMessage message, Channel channel, CancellationToken ct)
    {
        try
        {
            return await Pipeline(channel).ExecuteAsync(static async (state, token) => await state.sender.SendAsync(state.message, token), (sender, message), ct);
        }
        catch (BrokenCircuitException)
        {
            return null;
        }
    }

    private ResiliencePipeline<SendResult> Pipeline(Channel channel) => _pipelines.GetOrAdd(channel, c =>
        new ResiliencePipelineBuilder<SendResult> { TimeProvider = _clock }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<SendResult>
            {
                FailureRatio = Math.Clamp(_options.FailureRatio, 0.01, 1),
                MinimumThroughput = Math.Max(2, _options.MinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(1, _options.SamplingSeconds)),
                BreakDuration = TimeSpan.FromSeconds(Math.Max(1, _options.BreakSeconds)),
                // A provider's "not now" counts; a refused address (permanent) is that message's, not the channel's.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Outcome == SendOutcome.Transient
                    || args.Outcome.Exception is { } e && e is not OperationCanceledException),
                OnOpened = args =>
                {
                    var now = _clock.GetUtcNow().UtcDateTime;
                    var reason = args.Outcome.Result?.Error ?? args.Outcome.Exception?.Message;
                    _paused.AddOrUpdate(c, _ => new ChannelPause(c, now, now + args.BreakDuration, reason),
                        (_, was) => was with { RetryAtUtc = now + args.BreakDuration, Reason = reason });
                    return default;
                },
                OnClosed = _ =>
                {
                    _paused.TryRemove(c, out ChannelPause? _);
                    return default;
                },
            })
            .Build());
}
