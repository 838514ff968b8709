using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Localization;
using MudBlazor;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Components.Pages.Campaigns;

/// <summary>
/// A campaign's page: the editor while it is a draft (audience, start, steps with live previews), then its controls
/// and results. Saving and launching go through <see cref="CampaignService"/>, which checks everything the API checks.
/// </summary>
public partial class CampaignEditor
{
    public static readonly IReadOnlyList<string> TriggerKinds = TriggerKindNames.All.Select(k => k.ApiName()).ToList();

    /// <summary>The events an afterEvent survey typically follows, as the trigger names them.</summary>
    public static readonly string[] AfterEventTypes = ["purchase", "store_visit", "call", "chat", "order_placed", "return"];

    /// <summary>The resource key of a trigger's name ("Trigger: cartAbandoned").</summary>
    public static string TriggerLabel(string kind) => "Trigger: " + kind;

    [Parameter] public string? Id { get; set; }
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;
    [Inject] private CampaignService Service { get; set; } = default!;
    [Inject] private SegmentService Segments { get; set; } = default!;
    [Inject] private PromoCampaignService Promos { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<CampaignEditor> Log { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private CampaignPreview Previews { get; set; } = default!;

    private CampaignService.View? _view;
    private readonly EditorModel _model = new();
    private List<SegmentService.Summary> _segments = [];
    private List<PromoCampaignView> _promos = [];
    private List<FieldError> _errors = [];
    private long? _previewCustomerId;
    private string? _previewQuery, _previewFound;
    private bool _previewNotFound;
    private bool _loading = true, _notFound, _busy, _canEdit;
    private string? _name;
    // The definition as last loaded or saved: the editor has unsaved changes while the form differs from it.
    private string? _saved;
    private int _checkRun;

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        var user = await UserAsync();
        _canEdit = user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Marketer);
        _segments = await Segments.ListAsync(includeArchived: false, Disposing);
        _promos = await Promos.ListAsync(Disposing);
        if (Id is not null)
        {
            _view = await Service.GetAsync(Id, Disposing);
            _notFound = _view is null;
            if (_view is not null) _model.Load(_view);
            _name = _view?.Name;
        }
        else if (_model.Steps.Count == 0) _model.Steps.Add(StepModel.Send());
        _saved = Snapshot();
        _loading = false;
    }

    /// <summary>The customer the steps preview for: none while the number typed is not one (the field says so).</summary>
    private long? PreviewCustomer => _previewCustomerId is > 0 ? _previewCustomerId : null;

    // Null without an error: the field's own validation clears a text that stays the same from render to render.
    private string? PreviewCustomerError =>
        _previewNotFound ? L["No customer found for “{0}”.", _previewQuery?.Trim() ?? ""].Value
        : _previewCustomerId is <= 0 ? L["A customer # is a whole number from 1."].Value : null;

    /// <summary>Finds the customer the steps preview for, by what was typed (the lookup box's search, or "#number").</summary>
    private async Task FindPreviewCustomerAsync(string? text)
    {
        _previewQuery = text;
        (_previewCustomerId, _previewFound, _previewNotFound) = (null, null, false);
        if (string.IsNullOrWhiteSpace(text)) return;
        try
        {
            var found = await Previews.FindCustomerAsync(text, await ActorAsync(), Disposing);
            if (_previewQuery != text) return; // typed on meanwhile
            if (found is null) _previewNotFound = true;
            else (_previewCustomerId, _previewFound) = (found.Id, found.Name is { } name ? $"{name} · #{found.Id}" : null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { UnexpectedError.Show(ex, Snackbar, L, Log); }
    }

    private string Snapshot() => System.Text.Json.JsonSerializer.Serialize(_model.ToInput());

    /// <summary>A draft with changes not saved yet.</summary>
    private bool Dirty => _canEdit && !_loading && (_view is null || _view.Status == CampaignStatus.Draft) && _saved is not null && Snapshot() != _saved;

    /// <summary>The errors a field shows (its own, or of its items: excludeSegmentIds[1]); null when it has none.</summary>
    private string? ErrorOf(string field) =>
        _errors.Where(e => e.Field == field || e.Field.StartsWith(field + "[", StringComparison.Ordinal)).Select(e => CampaignErrorText.Message(L, e.Message)).ToList()
            is { Count: > 0 } found ? string.Join(" ", found) : null;

    private List<FieldError> StepErrors(int index) => _errors.Where(e => CampaignErrorText.InStep(e.Field)?.Step == index).ToList();

    /// <summary>
    /// Something in the form changed. Errors on show are checked again, so a fixed field loses its error at once (and a
    /// step's errors follow it when steps move), instead of staying until the next save.
    /// </summary>
    private async Task ChangedAsync()
    {
        if (_errors.Count == 0) return;
        var run = ++_checkRun;
        try
        {
            var errors = await Service.CheckAsync(_model.ToInput(), Disposing);
            if (run == _checkRun) _errors = errors;
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { UnexpectedError.Show(ex, Snackbar, L, Log); }
    }

    private Task AddStepAsync(StepModel step)
    {
        _model.Steps.Add(step);
        return ChangedAsync();
    }

    private Task RemoveStepAsync(int index)
    {
        _model.Steps.RemoveAt(index);
        return ChangedAsync();
    }

    private Task SwapAsync(int a, int b)
    {
        if (b < 0 || b >= _model.Steps.Count) return Task.CompletedTask;
        (_model.Steps[a], _model.Steps[b]) = (_model.Steps[b], _model.Steps[a]);
        return ChangedAsync();
    }


    private async Task<bool> SaveAsync()
    {
        _busy = true;
        try
        {
            var input = _model.ToInput();
            var snapshot = Snapshot();
            _checkRun++; // a re-check still on its way does not bring back the errors this save cleared
            _view = _view is null ? await Service.CreateAsync(input, await ActorAsync(), Disposing)
                : await Service.UpdateAsync(_view.CampaignId, input, await ActorAsync(), Disposing);
            _errors = [];
            _saved = snapshot;
            Snackbar.Add(L["Draft saved."], Severity.Success);
            if (Id is null) Navigation.NavigateTo($"/campaigns/{_view!.CampaignId}", replace: true);
            return true;
        }
        catch (CampaignValidationException ex) { (_errors, _checkRun) = (ex.Errors.ToList(), _checkRun + 1); }
        catch (CampaignStateException ex) { Snackbar.Add(L.Message(ex.Message), Severity.Error); }
        catch (Exception ex) when (ex is not OperationCanceledException) { UnexpectedError.Show(ex, Snackbar, L, Log); }
        finally { _busy = false; }
        return false;
    }

    private async Task LaunchAsync()
    {
        if (!await SaveAsync() || _view is null) return;
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Launch {0}?", _view.Name], await LaunchTextAsync(_view), yesText: L["Launch"], cancelText: L["Cancel"]);
        if (confirmed == true) await MoveAsync(Service.LaunchAsync);
    }

    /// <summary>What a launch does: how many customers enter at once, or that a trigger lets them in one by one.</summary>
    private async Task<string> LaunchTextAsync(CampaignService.View view)
    {
        if (view.Trigger is not null)
            return L["Nothing goes at launch: each customer of the audience enters the flow when the trigger fires ({0}). A launched campaign can be paused or stopped, not edited.",
                CampaignFlowText.Start(view.Trigger, L, _segments.ToDictionary(s => s.Id, s => s.Name))];
        if (view.SegmentId is not { } segmentId)
            return L["Messages start going to the audience at once (or as the trigger fires). A launched campaign can be paused or stopped, not edited."];
        // Whom the launch enrols, as the flow selects them: the segment's members now, less the excluded segments' members.
        var audience = SegmentNode.Group(NodeKind.All, [SegmentNode.Condition("inSegment", "eq", segmentId),
            .. view.ExcludeSegmentIds.Select(id => SegmentNode.Negate(SegmentNode.Condition("inSegment", "eq", id)))]);
        int members;
        try { members = (await Segments.CountAsync(audience, Disposing)).Members; }
        catch (SegmentValidationException)
        {
            // A segment archived since the save: the launch itself says so.
            return L["Messages start going to the audience at once (or as the trigger fires). A launched campaign can be paused or stopped, not edited."];
        }
        return L["About {0} in the audience now (the segment less its exclusions) enter the flow at once; each gets a channel's messages if they consented to it. A launched campaign can be paused or stopped, not edited.",
            L.Count(members, "customer|customers")];
    }

    /// <summary>The results saw the status move (finished, or changed by someone else): the chip and the buttons follow it.</summary>
    private async Task StatusMovedAsync(CampaignStatus status)
    {
        if (_view is null || _view.Status == status) return;
        _view = await Service.GetAsync(_view.CampaignId, Disposing) ?? _view;
    }

    private async Task StopAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Stop {0}?", _view!.Name],
            L["Messages not yet sent will not be sent, and nobody else enters. A stopped campaign cannot be resumed."], yesText: L["Stop"], cancelText: L["Cancel"]);
        if (confirmed == true) await MoveAsync(Service.StopAsync);
    }

    private async Task MoveAsync(Func<string, string, CancellationToken, Task<CampaignService.View?>> move)
    {
        _busy = true;
        try
        {
            _view = await move(_view!.CampaignId, await ActorAsync(), Disposing);
            _errors = [];
        }
        catch (CampaignValidationException ex) { _errors = ex.Errors.ToList(); }
        catch (CampaignStateException ex) { Snackbar.Add(L.Message(ex.Message), Severity.Error); }
        catch (Exception ex) when (ex is not OperationCanceledException) { UnexpectedError.Show(ex, Snackbar, L, Log); }
        finally { _busy = false; }
    }

    /// <summary>The editor's state: what the form binds to, turned into the API's input on save.</summary>
    private sealed class EditorModel
    {
        public string? Name { get; set; }
        public int? SegmentId { get; set; }
        public IReadOnlyCollection<int> Excluded { get; set; } = [];
        public string Trigger { get; set; } = "";
        public TriggerKind? Kind => TriggerKindNames.TryParse(Trigger, out var kind) ? kind : null;
        public int? TriggerHours { get; set; } = 24;
        public int? TriggerDays { get; set; } = 180;
        /// <summary>The segment a segmentEntered / segmentLeft trigger watches.</summary>
        public int? TriggerSegmentId { get; set; }
        /// <summary>The event an afterEvent trigger follows.</summary>
        public string TriggerEventType { get; set; } = "purchase";
        /// <summary>The share held out as a control group, 0–50 %.</summary>
        public int? ControlGroupPercent { get; set; } = 0;
        public List<StepModel> Steps { get; } = [];

        public void Load(CampaignService.View view)
        {
            (Name, SegmentId, Excluded) = (view.Name, view.SegmentId, view.ExcludeSegmentIds.ToList());
            (Trigger, TriggerHours, TriggerDays) = (view.Trigger?.Kind ?? "", view.Trigger?.Hours ?? 24, view.Trigger?.Days ?? 180);
            TriggerSegmentId = view.Trigger?.SegmentId;
            TriggerEventType = view.Trigger?.EventType ?? "purchase";
            ControlGroupPercent = view.ControlGroupPercent;
            Steps.Clear();
            Steps.AddRange(view.Steps.Select(StepModel.From));
        }

        public CampaignInput ToInput() => new()
        {
            Name = Name, SegmentId = SegmentId, ExcludeSegmentIds = Excluded.ToList(), Steps = Steps.Select(s => s.ToStep()).ToList(),
            Trigger = Trigger.Length == 0 ? null : new CampaignTrigger
            {
                // Only the fields the kind takes: the others keep what was typed, for a switch back.
                Kind = Trigger, Hours = Kind?.TakesHours() == true ? TriggerHours : null,
                EventType = Kind?.TakesEvent() == true ? TriggerEventType : null,
                Days = Kind?.TakesDays() == true ? TriggerDays : null,
                SegmentId = Kind?.WatchesSegment() == true ? TriggerSegmentId : null,
            },
            // Left empty, no control group; anything else goes as typed, and the service says what is wrong with it.
            ControlGroupPercent = ControlGroupPercent is null or 0 ? null : ControlGroupPercent,
        };
    }
}

/// <summary>What a send carries, the step's own or one variant's.</summary>
public interface IMessageContent
{
    string? Subject { get; set; }
    string? Body { get; set; }
    string? Text { get; set; }
}

/// <summary>One variant of an A/B-tested send step: its weight, its content, and its own channel when it has one.</summary>
public sealed class VariantModel : IMessageContent
{
    public int? Weight { get; set; } = 50;
    /// <summary>Null: the step's channel.</summary>
    public string? Channel { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public string? Text { get; set; }

    /// <summary>"A", "B", … as the editor and the results name variants.</summary>
    public static string Letter(int index) => ((char)('A' + index)).ToString();
}

/// <summary>One step as the editor holds it: a send (channel, content, fallback, promo campaign) or a wait (amount, unit, unless).</summary>
public sealed partial class StepModel : IMessageContent
{
    public const int MaxVariants = 5;

    public bool IsWait { get; set; }
    public string Channel { get; set; } = "email";
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public string? Text { get; set; }
    /// <summary>An A/B test's variants (none, or 2–5); their content replaces the step's own.</summary>
    public List<VariantModel> Variants { get; } = [];
    /// <summary>The variant the editor shows.</summary>
    public int Shown { get; set; }
    /// <summary>A survey step's question, scale and (optional) own text; its channel is <see cref="Channel"/>.</summary>
    public bool IsSurvey { get; set; }
    public string? Question { get; set; }
    public string Scale { get; set; } = "nps";
    public int? PromoCampaignId { get; set; }
    public string? Fallback { get; set; }
    /// <summary>The wait's amount as typed (a whole number; "3 days" is read as 3 and the unit); <see cref="ReadWait"/> reads it.</summary>
    public string WaitText { get; set; } = "24";
    /// <summary>minutes, hours or days.</summary>
    public string WaitUnit { get; set; } = "hours";
    public string Unless { get; set; } = "";

    public static StepModel Send() => new()
    {
        Subject = "{{firstName}}, добро пожаловать!",
        Body = "<p>Здравствуйте, {{firstName}}!</p>\n<p>На вашем счёте {{bonusActive}} бонусов.</p>\n<p><a href=\"{{unsubscribeUrl}}\">Отписаться</a></p>",
    };

    public static StepModel WaitStep() => new() { IsWait = true, Unless = "opened" };

    public static StepModel SurveyStep() => new() { IsSurvey = true, Channel = "sms", Question = "Как вам у нас? Оцените от 0 до 10", Scale = "nps" };

    public static StepModel From(CampaignStep s)
    {
        if (s.IsWait)
        {
            var span = System.Xml.XmlConvert.ToTimeSpan(s.Wait!);
            var (amount, unit) = span.Ticks % TimeSpan.TicksPerDay == 0 ? (span.TotalDays, "days")
                : span.Ticks % TimeSpan.TicksPerHour == 0 ? (span.TotalHours, "hours") : (span.TotalMinutes, "minutes");
            return new StepModel { IsWait = true, WaitText = ((long)amount).ToString(CultureInfo.InvariantCulture), WaitUnit = unit, Unless = s.Unless ?? "" };
        }
        if (s.Survey is { } survey)
            return new StepModel { IsSurvey = true, Channel = survey.Channel ?? "sms", Question = survey.Question, Scale = survey.Scale ?? "nps", Text = survey.Text };
        var step = new StepModel
        {
            Channel = s.Channel ?? "email", Subject = s.Subject, Body = s.Body, Text = s.Text, PromoCampaignId = s.PromoCampaignId, Fallback = s.FallbackChannel,
        };
        step.Variants.AddRange(s.Variants?.Select(v => new VariantModel { Weight = v.Weight, Channel = v.Channel, Subject = v.Subject, Body = v.Body, Text = v.Text }) ?? []);
        return step;
    }

    /// <summary>The content the editor shows: the shown variant's, or the step's own.</summary>
    public IMessageContent Content => Variants.Count > 0 ? Variants[Math.Clamp(Shown, 0, Variants.Count - 1)] : this;

    /// <summary>The channel of the content shown.</summary>
    public string ContentChannel => Variants.Count > 0 ? ((VariantModel)Content).Channel ?? Channel : Channel;

    /// <summary>Starts an A/B test: the content so far becomes variant A, and B starts as its copy.</summary>
    public void SplitIntoVariants()
    {
        if (Variants.Count > 0) return;
        Variants.Add(new VariantModel { Subject = Subject, Body = Body, Text = Text });
        Variants.Add(new VariantModel { Subject = Subject, Body = Body, Text = Text });
        Shown = 1;
    }

    public void AddVariant()
    {
        if (Variants.Count is 0 or >= MaxVariants) return;
        var shown = (VariantModel)Content;
        Variants.Add(new VariantModel { Weight = shown.Weight, Channel = shown.Channel, Subject = shown.Subject, Body = shown.Body, Text = shown.Text });
        Shown = Variants.Count - 1;
    }

    /// <summary>Removes the shown variant; with one left, the test ends and its content is the step's again.</summary>
    public void RemoveShownVariant()
    {
        if (Variants.Count == 0) return;
        Variants.RemoveAt(Math.Clamp(Shown, 0, Variants.Count - 1));
        if (Variants.Count == 1)
        {
            var last = Variants[0];
            (Subject, Body, Text) = (last.Subject, last.Body, last.Text);
            if (last.Channel is { } own) Channel = own;
            Variants.Clear();
        }
        Shown = Math.Clamp(Shown, 0, Math.Max(0, Variants.Count - 1));
    }

    /// <summary>The shown content as a step of its own: what the preview and the test send show.</summary>
    public CampaignStep ShownStep() => Variants.Count == 0 ? ToStep() : StepOf(ContentChannel, Content, PromoCampaignId, Fallback);

    private static CampaignStep StepOf(string channel, IMessageContent c, int? promo, string? fallback) => new()
    {
        Channel = channel, Subject = channel == "email" ? c.Subject : null, Body = channel == "email" ? c.Body : null,
        Text = channel != "email" || fallback is { Length: > 0 } ? c.Text : null, PromoCampaignId = promo,
        FallbackChannel = fallback is { Length: > 0 } f ? f : null,
    };

    public CampaignStep ToStep() => IsSurvey
        ? new CampaignStep { Survey = new Core.Campaigns.SurveyStep { Channel = Channel, Question = Question, Scale = Scale, Text = string.IsNullOrWhiteSpace(Text) ? null : Text } }
        : IsWait
        ? new CampaignStep
        {
            // What cannot be read goes as typed: the service refuses it (and the editor says so in its words), nothing is guessed.
            Wait = ReadWait(WaitText, WaitUnit) is { } w ? w.Unit switch { "days" => $"P{w.Amount}D", "minutes" => $"PT{w.Amount}M", _ => $"PT{w.Amount}H" } : WaitText ?? "",
            Unless = Unless.Length == 0 ? null : Unless,
        }
        : Variants.Count == 0 ? StepOf(Channel, this, PromoCampaignId, Fallback)
        : StepOf(Channel, new VariantModel(), PromoCampaignId, Fallback) with
        {
            Variants = Variants.Select(v =>
            {
                var content = StepOf(v.Channel ?? Channel, v, null, Fallback);
                return new StepVariant { Weight = v.Weight, Channel = v.Channel, Subject = content.Subject, Body = content.Body, Text = content.Text };
            }).ToList(),
        };

    /// <summary>
    /// A wait's amount as typed: a whole number in <paramref name="unit"/>, or with its own unit in English or Russian ("3 days",
    /// "90 min", "2 дня"). Null for anything else: the editor says so rather than read "3 weeks" as 3 hours.
    /// </summary>
    public static (long Amount, string Unit)? ReadWait(string? text, string unit)
    {
        var match = WaitPattern().Match(text ?? "");
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)) return null;
        if (!match.Groups[2].Success) return (amount, unit);
        return match.Groups[2].Value.ToLowerInvariant().TrimEnd('.') switch
        {
            "m" or "min" or "mins" or "minute" or "minutes" or "мин" or "минута" or "минуты" or "минут" or "минуту" => (amount, "minutes"),
            "h" or "hr" or "hrs" or "hour" or "hours" or "ч" or "час" or "часа" or "часов" => (amount, "hours"),
            "d" or "day" or "days" or "д" or "дн" or "день" or "дня" or "дней" => (amount, "days"),
            _ => null,
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(\d{1,9})\s*(\p{L}+\.?)?\s*$")]
    private static partial System.Text.RegularExpressions.Regex WaitPattern();

    public static readonly string[] SendChannels = CampaignDefinition.SendChannels.Select(c => c.ApiName()).ToArray();
}
