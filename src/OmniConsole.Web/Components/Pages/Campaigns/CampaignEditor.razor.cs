using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
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
    public static readonly string[] TriggerKinds = ["cartAbandoned", "firstPurchase", "noPurchase", "afterPurchase", "birthday", "bonusActivated", "pointsExpiring"];

    /// <summary>The resource key of a trigger's name ("Trigger: cartAbandoned").</summary>
    public static string TriggerLabel(string kind) => "Trigger: " + kind;

    [Parameter] public string? Id { get; set; }
    [CascadingParameter] private Task<AuthenticationState> Auth { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;
    [Inject] private CampaignService Service { get; set; } = default!;
    [Inject] private SegmentService Segments { get; set; } = default!;
    [Inject] private PromoCampaignService Promos { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private CampaignService.View? _view;
    private readonly EditorModel _model = new();
    private List<SegmentService.Summary> _segments = [];
    private List<PromoCampaignView> _promos = [];
    private List<FieldError> _errors = [];
    private long? _previewCustomerId;
    private bool _loading = true, _notFound, _busy, _canEdit;
    private string? _name;

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        var user = (await Auth).User;
        _canEdit = user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Marketer);
        _segments = await Segments.ListAsync(includeArchived: false, CancellationToken.None);
        _promos = await Promos.ListAsync(CancellationToken.None);
        if (Id is not null)
        {
            _view = await Service.GetAsync(Id, CancellationToken.None);
            _notFound = _view is null;
            if (_view is not null) _model.Load(_view);
            _name = _view?.Name;
        }
        else if (_model.Steps.Count == 0) _model.Steps.Add(StepModel.Send());
        _loading = false;
    }

    private IReadOnlyList<string> ErrorsOf(string prefix) =>
        _errors.Where(e => e.Field == prefix || e.Field.StartsWith(prefix + ".", StringComparison.Ordinal)).Select(e => L.Message(e.Message)).ToList();

    private void Swap(int a, int b)
    {
        if (b < 0 || b >= _model.Steps.Count) return;
        (_model.Steps[a], _model.Steps[b]) = (_model.Steps[b], _model.Steps[a]);
    }

    private async Task<string> ActorAsync() => (await Auth).User.Identity?.Name ?? "unknown";

    private async Task<bool> SaveAsync()
    {
        _busy = true;
        try
        {
            var input = _model.ToInput();
            _view = _view is null ? await Service.CreateAsync(input, await ActorAsync(), CancellationToken.None)
                : await Service.UpdateAsync(_view.CampaignId, input, await ActorAsync(), CancellationToken.None);
            _errors = [];
            Snackbar.Add(L["Draft saved."], Severity.Success);
            if (Id is null) Navigation.NavigateTo($"/campaigns/{_view!.CampaignId}", replace: true);
            return true;
        }
        catch (CampaignValidationException ex) { _errors = ex.Errors.ToList(); }
        catch (CampaignStateException ex) { Snackbar.Add(L.Message(ex.Message), Severity.Error); }
        finally { _busy = false; }
        return false;
    }

    private async Task LaunchAsync()
    {
        if (!await SaveAsync() || _view is null) return;
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Launch {0}?", _view.Name],
            L["Messages start going to the audience at once (or as the trigger fires). A launched campaign can be paused or stopped, not edited."],
            yesText: L["Launch"], cancelText: L["Cancel"]);
        if (confirmed == true) await MoveAsync(Service.LaunchAsync);
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
            _view = await move(_view!.CampaignId, await ActorAsync(), CancellationToken.None);
            _errors = [];
        }
        catch (CampaignValidationException ex) { _errors = ex.Errors.ToList(); }
        catch (CampaignStateException ex) { Snackbar.Add(L.Message(ex.Message), Severity.Error); }
        finally { _busy = false; }
    }

    /// <summary>The editor's state: what the form binds to, turned into the API's input on save.</summary>
    private sealed class EditorModel
    {
        public string? Name { get; set; }
        public int? SegmentId { get; set; }
        public IReadOnlyCollection<int> Excluded { get; set; } = [];
        public string Trigger { get; set; } = "";
        public int? TriggerHours { get; set; } = 24;
        public int? TriggerDays { get; set; } = 180;
        public List<StepModel> Steps { get; } = [];

        public void Load(CampaignService.View view)
        {
            (Name, SegmentId, Excluded) = (view.Name, view.SegmentId, view.ExcludeSegmentIds.ToList());
            (Trigger, TriggerHours, TriggerDays) = (view.Trigger?.Kind ?? "", view.Trigger?.Hours ?? 24, view.Trigger?.Days ?? 180);
            Steps.Clear();
            Steps.AddRange(view.Steps.Select(StepModel.From));
        }

        public CampaignInput ToInput() => new()
        {
            Name = Name, SegmentId = SegmentId, ExcludeSegmentIds = Excluded.ToList(), Steps = Steps.Select(s => s.ToStep()).ToList(),
            Trigger = Trigger.Length == 0 ? null : new CampaignTrigger
            {
                Kind = Trigger, Hours = Trigger == "cartAbandoned" ? TriggerHours : null,
                Days = Trigger is "noPurchase" or "afterPurchase" or "pointsExpiring" ? TriggerDays : null,
            },
        };
    }
}

/// <summary>One step as the editor holds it: a send (channel, content, fallback, promo campaign) or a wait (amount, unit, unless).</summary>
public sealed class StepModel
{
    public bool IsWait { get; set; }
    public string Channel { get; set; } = "email";
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public string? Text { get; set; }
    public int? PromoCampaignId { get; set; }
    public string? Fallback { get; set; }
    public int WaitAmount { get; set; } = 24;
    public string WaitUnit { get; set; } = "hours";
    public string Unless { get; set; } = "";

    public static StepModel Send() => new()
    {
        Subject = "{{firstName}}, добро пожаловать!",
        Body = "<p>Здравствуйте, {{firstName}}!</p>\n<p>На вашем счёте {{bonusActive}} бонусов.</p>\n<p><a href=\"{{unsubscribeUrl}}\">Отписаться</a></p>",
    };

    public static StepModel WaitStep() => new() { IsWait = true, Unless = "opened" };

    public static StepModel From(CampaignStep s)
    {
        if (s.IsWait)
        {
            var span = System.Xml.XmlConvert.ToTimeSpan(s.Wait!);
            var days = span.TotalDays == Math.Floor(span.TotalDays) && span.TotalDays >= 1;
            return new StepModel { IsWait = true, WaitAmount = (int)(days ? span.TotalDays : span.TotalHours), WaitUnit = days ? "days" : "hours", Unless = s.Unless ?? "" };
        }
        return new StepModel
        {
            Channel = s.Channel ?? "email", Subject = s.Subject, Body = s.Body, Text = s.Text, PromoCampaignId = s.PromoCampaignId, Fallback = s.FallbackChannel,
        };
    }

    public CampaignStep ToStep() => IsWait
        ? new CampaignStep { Wait = WaitUnit == "days" ? $"P{WaitAmount}D" : $"PT{WaitAmount}H", Unless = Unless.Length == 0 ? null : Unless }
        : new CampaignStep
        {
            Channel = Channel, Subject = Channel == "email" ? Subject : null, Body = Channel == "email" ? Body : null,
            Text = Channel != "email" || Fallback is { Length: > 0 } ? Text : null, PromoCampaignId = PromoCampaignId,
            FallbackChannel = Fallback is { Length: > 0 } f ? f : null,
        };

    public static readonly string[] SendChannels = CampaignDefinition.SendChannels.Select(c => c.ApiName()).ToArray();
}
