using OmniConsole.Core.Common;
namespace OmniConsole.Core.Campaigns;

/// <summary>
/// What <see cref="CampaignDefinition"/> and <see cref="CampaignService"/> answer when they refuse a campaign: the templates
/// of the API's English messages, which the editor shows in its reader's language (see <see cref="Common.ServiceMessages"/>).
/// </summary>
[MessageTemplates]
public static class CampaignMessages
{
    public const string NeedsName = "A campaign needs a name.";
    public const string NameTooLong = "A name is at most 200 characters.";
    public const string NeedsSegment = "Choose the audience: a segment.";
    public const string NeedsSendStep = "A campaign needs at least one send step.";
    public const string TooManySteps = "At most 20 steps.";
    /// <summary>{0} and {1}: the two shapes in JSON.</summary>
    public const string NotAStep = "A step is a send {0} or a wait {1}.";
    public const string SendOrWait = "A step either sends or waits, not both.";
    public const string NotADuration = "'{0}' is not an ISO 8601 duration between a minute and a year, such as PT24H or P3D.";
    public const string UnlessValues = "'unless' is opened, clicked or purchased.";
    public const string NotAChannel = "'{0}' is not a channel a campaign sends through: email, sms, viber, telegram or push.";
    public const string NoProviderFor = "No provider is configured for {0} (OmniConsole:Messaging:{1}:Provider).";
    public const string NoFallbackProviderFor = "No provider is configured for {0}.";
    public const string FallbackChannels = "A fallback is another of sms, viber, telegram or push, and sends the step's text.";
    public const string NeedsSubject = "An e-mail needs a subject.";
    public const string SubjectTooLong = "A subject is at most 200 characters.";
    public const string NeedsBody = "An e-mail needs a body (HTML).";
    public const string BodyTooLong = "A body is at most 100,000 characters.";
    public const string NeedsText = "The message needs a text.";
    public const string SmsTooLong = "The SMS is {0} parts; at most {1} are allowed (OmniConsole:Messaging:SmsMaxParts).";
    public const string TextTooLong = "A text is at most 4,000 characters.";
    public const string VariantCount = "A step's variants are 2 to 5.";
    public const string VariantWeight = "A variant's weight is 1 to 100.";
    public const string ControlGroupRange = "The control group is 0 to 50 % of the audience.";
    public const string SurveyChannels = "A survey goes by email, sms, viber or telegram.";
    public const string SurveyQuestion = "A survey needs its question, at most 300 characters.";
    public const string SurveyScales = "A survey's scale is nps (0–10) or csat (1–5).";
    /// <summary>{0}: the link's token.</summary>
    public const string SurveyLink = "A survey's text must hold its answer link, {0}.";
    public const string UnlessAfterSend = "'opened' and 'clicked' look at the send step just before the wait.";
    public const string TriggerKinds = "A trigger is cartAbandoned, firstPurchase, noPurchase, afterPurchase, birthday, bonusActivated, pointsExpiring, segmentEntered, segmentLeft or afterEvent.";
    public const string TriggerEventHours = "Hours after the event: 1 to 720.";
    public const string TriggerEventType = "afterEvent needs the event type a client sends: purchase, call, chat, store_visit, …";
    public const string TriggerEventChannel = "'{0}' is not a channel.";
    public const string TriggerSegment = "Choose the segment whose entries (or leavers) start the campaign.";
    public const string TriggerHours = "Hours after the cart was left: 1 to 720.";
    public const string TriggerDays = "Days: 1 to 1,000.";
    /// <summary>{1}: the closing braces.</summary>
    public const string TokenNotClosed = "{0} is not closed with {1}.";
    /// <summary>{2} (and {1} of the other): the known tokens.</summary>
    public const string UnknownTokenDidYouMean = "Unknown token {0} (did you mean {1}?); the tokens are {2}.";
    public const string UnknownToken = "Unknown token {0}; the tokens are {1}.";
    public const string NoPromoCampaign = "There is no promo campaign {0}.";
    /// <summary>{0}: the promo code token.</summary>
    public const string PromoCodeNeedsCampaign = "{0} needs a promo campaign to issue the codes from.";

    public const string OnlyDraftChanges = "Campaign {0} is {1:campaign-}; only a draft can be changed.";
    public const string CannotLaunch = "Campaign {0} is {1:campaign-}; it cannot be launched.";
    public const string CannotPause = "Campaign {0} is {1:campaign-}; it cannot be paused.";
    public const string CannotResume = "Campaign {0} is {1:campaign-}; it cannot be resumed.";
    public const string CannotStop = "Campaign {0} is {1:campaign-}; it cannot be stopped.";
    public const string ChangedMeanwhile = "Campaign {0} changed meanwhile; look at it again.";

    // Test sends (CampaignPreview.TestSendAsync): to staff accounts only.
    public const string TestNotAnEmail = "'{0}' is not an e-mail address.";
    public const string TestNotAPhone = "'{0}' is not a phone number.";
    public const string TestStaffEmailOnly = "Test sends go to staff accounts' e-mail addresses only.";
    public const string TestStaffPhoneOnly = "Test sends go to staff accounts' confirmed phone numbers only (confirm yours with a code on your account page).";
    public const string TestNoPush = "Push has no test sends: it goes to customers' app installs, not to staff.";
}
