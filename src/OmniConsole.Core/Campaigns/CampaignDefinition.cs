using System.Xml;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using static OmniConsole.Core.Campaigns.CampaignMessages;

namespace OmniConsole.Core.Campaigns;

public enum WaitUnless { Opened, Clicked, Purchased }

public enum TriggerKind { CartAbandoned, FirstPurchase, NoPurchase, AfterPurchase, Birthday, BonusActivated, PointsExpiring, SegmentEntered, SegmentLeft, AfterEvent }

/// <summary>
/// A step of the flow: a send (<see cref="Channel"/> set) or a wait (<see cref="Wait"/> set, an ISO 8601 duration).
/// A send with a <see cref="FallbackChannel"/> goes there with <see cref="Text"/> when the first channel cannot reach
/// the customer (no consent or no identifier).
/// </summary>
public sealed record CampaignStep
{
    public string? Channel { get; init; }
    public string? Subject { get; init; }
    public string? Body { get; init; }
    public string? Text { get; init; }
    public int? PromoCampaignId { get; init; }
    public string? FallbackChannel { get; init; }
    public string? Wait { get; init; }
    public string? Unless { get; init; }
    /// <summary>An A/B test of the send (2–5 variants): each recipient gets one, by weight; they replace the step's own content.</summary>
    public List<StepVariant>? Variants { get; init; }
    /// <summary>A feedback survey (v1.1): a message carrying the recipient's personal answer link.</summary>
    public SurveyStep? Survey { get; init; }

    public bool IsWait => Wait is not null;
}

/// <summary>
/// A survey step: a question on a scale (NPS 0–10, CSAT 1–5) sent by e-mail, SMS, Viber or Telegram with the recipient's
/// answer link <c>{{surveyUrl}}</c>; <see cref="Text"/> (optional) is the message, which must then hold the link.
/// </summary>
public sealed record SurveyStep
{
    public string? Channel { get; init; }
    public string? Question { get; init; }
    public string? Scale { get; init; }
    public string? Text { get; init; }
}

/// <summary>One variant of a send step: its share (a weight of 1–100) and its content; the channel, when set, replaces the step's.</summary>
public sealed record StepVariant
{
    public int? Weight { get; init; }
    public string? Channel { get; init; }
    public string? Subject { get; init; }
    public string? Body { get; init; }
    public string? Text { get; init; }
}

/// <summary>Starts the flow per customer when something happens, instead of for the whole audience at launch.</summary>
public sealed record CampaignTrigger
{
    public string? Kind { get; init; }
    /// <summary>Cart abandoned that many hours with no purchase.</summary>
    public int? Hours { get; init; }
    /// <summary>No purchase for N days; N days after a purchase; points expiring within N days.</summary>
    public int? Days { get; init; }
    /// <summary>The saved segment whose entries (or leavers) start the flow.</summary>
    public int? SegmentId { get; init; }
    /// <summary>afterEvent: the event type ("purchase", "call", "chat", "store_visit", …) and, optionally, its channel; <see cref="Hours"/> after it.</summary>
    public string? EventType { get; init; }
    public string? Channel { get; init; }
}

/// <summary>A campaign as the API and the editor give it (MANAGEMENT-API.md, Campaigns).</summary>
public sealed record CampaignInput
{
    public string? Name { get; init; }
    public int? SegmentId { get; init; }
    public List<int>? ExcludeSegmentIds { get; init; }
    public List<CampaignStep>? Steps { get; init; }
    public CampaignTrigger? Trigger { get; init; }
    /// <summary>The share of the audience (0–50 %) held out as a control group: they get nothing, and their purchases are the baseline.</summary>
    public int? ControlGroupPercent { get; init; }
}

/// <summary>A definition checked and parsed: what the flow and the dispatcher run.</summary>
public sealed record ParsedStep(int Index, Channel? Channel, string? Subject, string? Body, string? Text, int? PromoCampaignId,
    Channel? FallbackChannel, TimeSpan? Wait, WaitUnless? Unless, IReadOnlyList<ParsedVariant>? Variants = null, ParsedSurvey? Survey = null)
{
    public bool IsSend => Channel is not null;

    /// <summary>The step as one variant's recipients get it (the step itself when it has no variants or none is given).</summary>
    public ParsedStep ForVariant(int? variant) =>
        variant is { } v && Variants is { } all && v >= 0 && v < all.Count
            ? this with { Channel = all[v].Channel ?? Channel, Subject = all[v].Subject, Body = all[v].Body, Text = all[v].Text, Variants = null }
            : this;

    /// <summary>Every channel the step may send through: its own, its variants' and its fallback.</summary>
    public IEnumerable<Channel> AllChannels() =>
        new[] { Channel, FallbackChannel }.Concat(Variants?.Select(v => v.Channel) ?? []).OfType<Channel>().Distinct();
}

public sealed record ParsedVariant(int Weight, Channel? Channel, string? Subject, string? Body, string? Text);

public enum SurveyScale { Nps, Csat }

public sealed record ParsedSurvey(string Question, SurveyScale Scale)
{
    public int Min => Scale == SurveyScale.Nps ? 0 : 1;
    public int Max => Scale == SurveyScale.Nps ? 10 : 5;

    /// <summary>A survey step as a send: its own text, or the question and the link (an e-mail: the question as subject, a button to answer).</summary>
    public static ParsedStep ToSend(int index, Channel channel, SurveyStep survey, ParsedSurvey parsed)
    {
        var link = "{{" + Delivery.MessageTemplate.SurveyUrl + "}}";
        var text = survey.Text?.Trim() is { Length: > 0 } own ? own : $"{parsed.Question} {link}";
        return channel == Common.Channel.Email
            ? new ParsedStep(index, channel, parsed.Question, $"<p>{System.Net.WebUtility.HtmlEncode(parsed.Question)}</p><p><a href=\"{link}\">{System.Net.WebUtility.HtmlEncode(parsed.Question)} →</a></p><p><a href=\"{{{{unsubscribeUrl}}}}\">×</a></p>",
                null, null, null, null, null, null, Survey: parsed)
            : new ParsedStep(index, channel, null, null, text, null, null, null, null, Survey: parsed);
    }
}

public sealed record ParsedTrigger(TriggerKind Kind, int? Hours, int? Days, int? SegmentId = null, Timeline.EventType? EventType = null, Channel? Channel = null);

public static class CampaignDefinition
{
    public static readonly Channel[] SendChannels = [Common.Channel.Email, Common.Channel.Sms, Common.Channel.Viber, Common.Channel.Telegram, Common.Channel.Push];

    /// <summary>Checks a definition: every problem with the field it is in, as the API's 400 and the editor show them.</summary>
    /// <param name="sampleUnsubscribeUrl">a link as long as a real unsubscribe link (<see cref="Delivery.TrackingLinks.SampleUnsubscribeUrl"/>), for the SMS length</param>
    public static List<FieldError> Validate(CampaignInput input, MessagingOptions messaging, out List<ParsedStep> steps, out ParsedTrigger? trigger,
        string sampleUnsubscribeUrl = "")
    {
        var errors = new List<FieldError>();
        steps = [];
        trigger = null;
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(new("name", NeedsName));
        else if (name.Length > 200) errors.Add(new("name", NameTooLong));
        if (input.SegmentId is null) errors.Add(new("segmentId", NeedsSegment));
        if (input.Steps is not { Count: > 0 })
        {
            errors.Add(new("steps", NeedsSendStep));
            return errors;
        }
        if (input.Steps.Count > 20) errors.Add(new("steps", TooManySteps));
        for (var i = 0; i < input.Steps.Count && i < 20; i++)
        {
            var step = input.Steps[i];
            var at = $"steps[{i}]";
            if (step is null) { errors.Add(new(at, ServiceMessages.Format(NotAStep, "{ channel, … }", "{ wait, unless }"))); continue; }
            if (step.IsWait)
            {
                if (step.Channel is not null) errors.Add(new($"{at}.channel", SendOrWait));
                TimeSpan? wait = null;
                try { wait = XmlConvert.ToTimeSpan(step.Wait!.Trim()); }
                catch (FormatException) { }
                catch (OverflowException) { }
                if (wait is not { } w || w <= TimeSpan.Zero || w > TimeSpan.FromDays(365))
                    errors.Add(new($"{at}.wait", ServiceMessages.Format(NotADuration, step.Wait)));
                WaitUnless? unless = null;
                if (step.Unless is { } u)
                {
                    if (Enum.TryParse<WaitUnless>(u, ignoreCase: true, out var parsed) && !int.TryParse(u, out _)) unless = parsed;
                    else errors.Add(new($"{at}.unless", UnlessValues));
                }
                steps.Add(new ParsedStep(i, null, null, null, null, null, null, wait, unless));
                continue;
            }
            if (step.Survey is { } survey)
            {
                if (ValidateSurvey(survey, $"{at}.survey") is { } parsedSurvey)
                    steps.Add(ParsedSurvey.ToSend(i, Enum.Parse<Common.Channel>(survey.Channel!.Trim(), ignoreCase: true), survey, parsedSurvey));
                continue;
            }
            if (!TryChannel(step.Channel, out var channel))
            {
                errors.Add(new($"{at}.channel", ServiceMessages.Format(NotAChannel, step.Channel)));
                continue;
            }
            if (messaging.ProviderOf(channel) is not { Length: > 0 })
                errors.Add(new($"{at}.channel", ServiceMessages.Format(NoProviderFor, channel.ApiName(), channel.ToString())));
            Channel? fallback = null;
            if (step.FallbackChannel is { } f)
            {
                if (!TryChannel(f, out var fc) || fc == Common.Channel.Email || fc == channel)
                    errors.Add(new($"{at}.fallbackChannel", FallbackChannels));
                else if (messaging.ProviderOf(fc) is not { Length: > 0 })
                    errors.Add(new($"{at}.fallbackChannel", ServiceMessages.Format(NoFallbackProviderFor, fc.ApiName())));
                else fallback = fc;
            }
            List<ParsedVariant>? variants = null;
            if (step.Variants is null) CheckContent(at, channel, fallback, step.Subject, step.Body, step.Text);
            else if (step.Variants.Count is < 2 or > 5) errors.Add(new($"{at}.variants", VariantCount));
            else
            {
                variants = [];
                for (var v = 0; v < step.Variants.Count; v++)
                {
                    var variant = step.Variants[v];
                    var vat = $"{at}.variants[{v}]";
                    if (variant is null) { errors.Add(new(vat, VariantCount)); continue; }
                    if (variant.Weight is not (>= 1 and <= 100)) errors.Add(new($"{vat}.weight", VariantWeight));
                    Channel? own = null;
                    if (variant.Channel is { } vc)
                    {
                        if (!TryChannel(vc, out var parsed)) { errors.Add(new($"{vat}.channel", ServiceMessages.Format(NotAChannel, vc))); continue; }
                        if (messaging.ProviderOf(parsed) is not { Length: > 0 })
                            errors.Add(new($"{vat}.channel", ServiceMessages.Format(NoProviderFor, parsed.ApiName(), parsed.ToString())));
                        own = parsed;
                    }
                    CheckContent(vat, own ?? channel, fallback == own ? null : fallback, variant.Subject, variant.Body, variant.Text);
                    variants.Add(new ParsedVariant(variant.Weight ?? 1, own, variant.Subject?.Trim(), variant.Body, variant.Text?.Trim()));
                }
            }
            steps.Add(new ParsedStep(i, channel, step.Subject?.Trim(), step.Body, step.Text?.Trim(), step.PromoCampaignId, fallback, null, null, variants));
        }
        if (input.ControlGroupPercent is not (null or (>= 0 and <= 50))) errors.Add(new("controlGroupPercent", ControlGroupRange));
        if (!steps.Any(s => s.IsSend)) errors.Add(new("steps", NeedsSendStep));
        // By the steps' own indexes: a step that failed its checks is not in the parsed list.
        foreach (var wait in steps.Where(s => s.Unless is WaitUnless.Opened or WaitUnless.Clicked))
            if (steps.FirstOrDefault(s => s.Index == wait.Index - 1) is not { IsSend: true })
                errors.Add(new($"steps[{wait.Index}].unless", UnlessAfterSend));
        if (input.Trigger is { } t)
        {
            if (!TriggerKindNames.TryParse(t.Kind, out var kind))
                errors.Add(new("trigger.kind", TriggerKinds));
            else
            {
                if (kind.TakesHours() && !kind.TakesEvent() && t.Hours is not (>= 1 and <= 720)) errors.Add(new("trigger.hours", TriggerHours));
                if (kind.TakesEvent())
                {
                    if (t.Hours is not (>= 1 and <= 720)) errors.Add(new("trigger.hours", TriggerEventHours));
                    if (!Timeline.EventTypeNames.TryParseClient(t.EventType, out _)) errors.Add(new("trigger.eventType", TriggerEventType));
                    if (t.Channel is not null && !ChannelNames.TryParseClient(t.Channel, out _)) errors.Add(new("trigger.channel", ServiceMessages.Format(TriggerEventChannel, t.Channel)));
                }
                if (kind.TakesDays() && t.Days is not (>= 1 and <= 1000))
                    errors.Add(new("trigger.days", TriggerDays));
                if (kind.WatchesSegment() && t.SegmentId is null) errors.Add(new("trigger.segmentId", TriggerSegment));
                trigger = Trigger(kind, t);
            }
        }
        return errors;

        ParsedSurvey? ValidateSurvey(SurveyStep survey, string at)
        {
            var ok = true;
            if (!TryChannel(survey.Channel, out var channel) || channel == Common.Channel.Push)
            {
                errors.Add(new($"{at}.channel", SurveyChannels));
                ok = false;
            }
            else if (messaging.ProviderOf(channel) is not { Length: > 0 })
            {
                errors.Add(new($"{at}.channel", ServiceMessages.Format(NoProviderFor, channel.ApiName(), channel.ToString())));
                ok = false;
            }
            var question = survey.Question?.Trim();
            if (string.IsNullOrEmpty(question) || question.Length > 300) { errors.Add(new($"{at}.question", SurveyQuestion)); ok = false; }
            SurveyScale scale = default;
            if (!Enum.TryParse(survey.Scale, ignoreCase: true, out scale) || int.TryParse(survey.Scale, out _)) { errors.Add(new($"{at}.scale", SurveyScales)); ok = false; }
            if (survey.Text is { } text && text.Trim().Length > 0)
            {
                if (!Delivery.MessageTemplate.UsesToken(text, Delivery.MessageTemplate.SurveyUrl)) { errors.Add(new($"{at}.text", ServiceMessages.Format(SurveyLink, "{{" + Delivery.MessageTemplate.SurveyUrl + "}}"))); ok = false; }
                foreach (var e in Delivery.MessageTemplate.Validate(text, Delivery.MessageTemplate.SurveyTokens))
                {
                    errors.Add(new($"{at}.text", ServiceMessages.Format(UnknownToken, e.Token, KnownTokens + ", {{surveyUrl}}")));
                    ok = false;
                }
                if (text.Length > 1000) { errors.Add(new($"{at}.text", TextTooLong)); ok = false; }
            }
            return ok ? new ParsedSurvey(question!, scale) : null;
        }

        // What a send (or one of its variants) carries: an e-mail's subject and body, any other channel's text (and an
        // e-mail with a fallback the text the fallback sends).
        void CheckContent(string at, Channel channel, Channel? fallback, string? subject, string? body, string? text)
        {
            if (channel == Common.Channel.Email)
            {
                if (string.IsNullOrWhiteSpace(subject)) errors.Add(new($"{at}.subject", NeedsSubject));
                else if (subject.Length > 200) errors.Add(new($"{at}.subject", SubjectTooLong));
                if (string.IsNullOrWhiteSpace(body)) errors.Add(new($"{at}.body", NeedsBody));
                else if (body.Length > 100_000) errors.Add(new($"{at}.body", BodyTooLong));
                CheckTokens(subject, $"{at}.subject");
                CheckTokens(body, $"{at}.body");
            }
            if (channel != Common.Channel.Email || fallback is not null)
            {
                if (string.IsNullOrWhiteSpace(text)) errors.Add(new($"{at}.text", NeedsText));
                else
                {
                    CheckTokens(text, $"{at}.text");
                    var sms = Delivery.SmsText.Measure(Delivery.MessageTemplate.WithLinkLength(text, sampleUnsubscribeUrl));
                    if ((channel == Common.Channel.Sms || fallback == Common.Channel.Sms) && sms.Parts > messaging.SmsMaxParts)
                        errors.Add(new($"{at}.text", ServiceMessages.Format(SmsTooLong, sms.Parts, messaging.SmsMaxParts)));
                    else if (text.Length > 4000) errors.Add(new($"{at}.text", TextTooLong));
                }
            }
        }

        void CheckTokens(string? text, string field)
        {
            if (text is null) return;
            foreach (var e in Delivery.MessageTemplate.Validate(text))
                errors.Add(new(field, e.Kind == Delivery.TemplateErrorKind.Unclosed ? ServiceMessages.Format(TokenNotClosed, e.Token, "}}")
                    : e.Suggestion is { } s ? ServiceMessages.Format(UnknownTokenDidYouMean, e.Token, s, KnownTokens)
                    : ServiceMessages.Format(UnknownToken, e.Token, KnownTokens)));
        }
    }

    /// <summary>The tokens a text may hold, as the messages list them.</summary>
    public static readonly string KnownTokens = string.Join(", ", Delivery.MessageTemplate.KnownTokens.Select(t => "{{" + t + "}}"));

    public static bool TryChannel(string? name, out Channel channel)
    {
        channel = default;
        return ChannelNames.TryParseClient(name?.Trim().ToLowerInvariant(), out channel) && SendChannels.Contains(channel);
    }

    public static List<ParsedStep> Parse(CampaignInput input)
    {
        var steps = new List<ParsedStep>();
        for (var i = 0; i < (input.Steps?.Count ?? 0); i++)
        {
            var s = input.Steps![i];
            if (s.IsWait)
                steps.Add(new ParsedStep(i, null, null, null, null, null, null, XmlConvert.ToTimeSpan(s.Wait!.Trim()),
                    s.Unless is { } u ? Enum.Parse<WaitUnless>(u, ignoreCase: true) : null));
            else if (s.Survey is { } survey && TryChannel(survey.Channel, out var surveyChannel))
                steps.Add(ParsedSurvey.ToSend(i, surveyChannel, survey,
                    new ParsedSurvey(survey.Question?.Trim() ?? "", Enum.TryParse<SurveyScale>(survey.Scale, ignoreCase: true, out var scale) ? scale : SurveyScale.Nps)));
            else
            {
                TryChannel(s.Channel, out var channel);
                Channel? fallback = TryChannel(s.FallbackChannel, out var f) ? f : null;
                var variants = s.Variants?.Select(v => new ParsedVariant(v.Weight ?? 1, TryChannel(v.Channel, out var vc) ? vc : null,
                    v.Subject?.Trim(), v.Body, v.Text?.Trim())).ToList();
                steps.Add(new ParsedStep(i, channel, s.Subject?.Trim(), s.Body, s.Text?.Trim(), s.PromoCampaignId, fallback, null, null, variants));
            }
        }
        return steps;
    }

    public static ParsedTrigger? ParseTrigger(CampaignInput input) =>
        input.Trigger is { } t && TriggerKindNames.TryParse(t.Kind, out var kind) ? Trigger(kind, t) : null;

    private static ParsedTrigger Trigger(TriggerKind kind, CampaignTrigger t) => new(kind, t.Hours, t.Days,
        kind.WatchesSegment() ? t.SegmentId : null,
        kind.TakesEvent() && Timeline.EventTypeNames.TryParseClient(t.EventType, out var type) ? type : null,
        kind.TakesEvent() && ChannelNames.TryParseClient(t.Channel, out var channel) ? channel : null);
}
