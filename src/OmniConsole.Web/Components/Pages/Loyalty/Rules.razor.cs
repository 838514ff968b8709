using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Components.Pages.Loyalty;

/// <summary>The earning rules (list, editor with a preview, status buttons) and the tiers, over the same services as the API.</summary>
public partial class Rules
{

    private sealed class TierRow
    {
        public string Name { get; set; } = "";
        public decimal MinSpent { get; set; }
    }

    private List<RuleView> _rules = [];
    private List<SegmentService.Summary> _segments = [];
    private List<TierRow> _tierRows = [];
    private List<FieldError> _tierErrors = [];
    private RuleInput? _editing;
    private int? _editingId;
    // The rule being edited as it was opened: the editor has unsaved changes while its fields differ.
    private string? _opened;
    private bool Dirty => _editing is not null && _opened is not null && System.Text.Json.JsonSerializer.Serialize(Input()) != _opened;
    private IReadOnlyCollection<string> _channels = [];
    private string? _categories, _brands, _stores, _tiers;
    private DateTime? _from, _to;
    private decimal? _sharePercent;
    private bool _exclusive;
    private List<FieldError> _errors = [];
    private EarningRuleService.Preview? _preview;
    private EarningRuleService.Stacking? _stacking;

    protected override async Task OnInitializedAsync()
    {
        await ReloadAsync();
        _segments = await SegmentStore.ListAsync(includeArchived: false, Disposing);
        _tierRows = (await TierStore.ListAsync(Disposing)).Select(t => new TierRow { Name = t.Name, MinSpent = t.MinSpent }).ToList();
    }

    private async Task ReloadAsync() => _rules = await RuleStore.ListAsync(Disposing);


    private static Color StatusColor(string status) => status switch { "active" => Color.Success, "paused" => Color.Warning, "draft" => Color.Default, _ => Color.Dark };

    private string KindText(string kind) => RuleText.Kind(kind, L);

    private string StatusText(string status) => RuleText.Status(status, L);

    private string Earns(RuleView r) => RuleText.Earns(r, L);

    private void New() => Open(null, new RuleInput { Kind = "purchase", Percent = 5, LifetimeDays = 365, ActivationDays = 0, Priority = 10, Conditions = new() });

    private void Edit(RuleView rule) => Open(rule.RuleId, EarningRuleService.ToInput(rule));

    private void Open(int? id, RuleInput input)
    {
        _editingId = id;
        _editing = input;
        _editing.Conditions ??= new();
        var c = _editing.Conditions;
        _channels = (c.Channels ?? []).ToList();
        (_categories, _brands, _stores, _tiers) = (Join(c.Categories), Join(c.Brands), Join(c.StoreCodes), Join(c.Tiers));
        (_from, _to) = (c.ValidFrom is { } vf ? Format.Local(vf.UtcDateTime).Date : null, c.ValidTo is { } vt ? Format.Local(vt.UtcDateTime).Date : null);
        _sharePercent = input.MaxRedeemShare * 100;
        _exclusive = input.Exclusive ?? false;
        _errors = [];
        (_preview, _stacking) = (null, null);
        _opened = System.Text.Json.JsonSerializer.Serialize(Input());
    }

    private static string? Join(List<string>? values) => values is { Count: > 0 } ? string.Join(", ", values) : null;

    private static List<string> Split(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>The editor's fields as the services take them (dates are whole days in the display time zone).</summary>
    private RuleInput Input()
    {
        var input = _editing!;
        input.Exclusive = _exclusive;
        input.MaxRedeemShare = _sharePercent is { } s ? Math.Round(s / 100m, 4) : null;
        if (input.Kind != "purchase") input.Percent = null;
        else if (input.Points is not null && input.Percent == 0) input.Percent = null;
        input.Conditions!.Channels = _channels.ToList();
        input.Conditions.Categories = Split(_categories);
        input.Conditions.Brands = Split(_brands);
        input.Conditions.StoreCodes = Split(_stores);
        input.Conditions.Tiers = Split(_tiers);
        input.Conditions.ValidFrom = _from is { } f ? new DateTimeOffset(Format.ToUtc(f.Date), TimeSpan.Zero) : null;
        input.Conditions.ValidTo = _to is { } t ? new DateTimeOffset(Format.ToUtc(t.Date), TimeSpan.Zero) : null;
        return input;
    }

    private async Task PreviewAsync()
    {
        try
        {
            _errors = [];
            _preview = await RuleStore.PreviewAsync(Input(), Disposing);
            _stacking = await RuleStore.StackingAsync(Input(), _editingId, Disposing);
        }
        catch (RuleValidationException ex) { _errors = ex.Errors.ToList(); }
    }

    private async Task SaveAsync()
    {
        try
        {
            var actor = await ActorAsync();
            if (_editingId is { } id) await RuleStore.UpdateAsync(id, Input(), actor, Disposing);
            else await RuleStore.CreateAsync(Input(), actor, Disposing);
            _editing = null;
            Snackbar.Add(L["Rule saved."], Severity.Success);
            await ReloadAsync();
        }
        catch (RuleValidationException ex) { _errors = ex.Errors.ToList(); }
    }

    private async Task SetStatusAsync(RuleView rule, EarningRuleStatus status)
    {
        try
        {
            await RuleStore.SetStatusAsync(rule.RuleId, status, await ActorAsync(), Disposing);
            await ReloadAsync();
        }
        catch (RuleValidationException ex) { Snackbar.Add(string.Join(" ", ex.Errors.Select(e => L.Message(e.Message))), Severity.Error); }
    }

    private async Task SaveTiersAsync()
    {
        try
        {
            _tierErrors = [];
            var saved = await TierStore.SaveAsync(_tierRows.Select(t => new TierService.Tier(t.Name, t.MinSpent)).ToList(), await ActorAsync(), Disposing);
            _tierRows = saved.Select(t => new TierRow { Name = t.Name, MinSpent = t.MinSpent }).ToList();
            Snackbar.Add(L["Tiers saved; every customer's tier is recomputed."], Severity.Success);
        }
        catch (TierValidationException ex) { _tierErrors = ex.Errors.ToList(); }
    }
}
