using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Shared;
using OmniConsole.Web.Setup;

namespace OmniConsole.Web.Components.Pages.Segments;

public partial class SegmentBuilder
{
    /// <summary>Values the builder suggests for qualifiers.</summary>
    public sealed record Suggestions(IReadOnlyList<string> Categories, IReadOnlyList<string> Brands, IReadOnlyList<string> Stores, IReadOnlyList<string> Cities);

    [Parameter] public int? Id { get; set; }

    private SegmentNode _root = SegmentNode.Group(NodeKind.All, GroupEditor.NewCondition());
    private string? _name;
    private string? _description;
    private int _version;
    private bool _archived;
    private bool _canEdit;
    private bool _saving;
    private bool _counting;
    private string? _loadError;
    private IReadOnlyList<SegmentError> _errors = [];
    private SegmentService.Reach? _reach;
    private IReadOnlyList<SegmentService.Member> _sample = [];
    private IReadOnlyList<SegmentService.Summary> _segments = [];
    private List<SegmentService.VersionRow> _versions = [];
    private List<SegmentSize> _history = [];
    private List<ChartSeries<double>> _historySeries = [];
    private string[] _historyLabels = [];
    private Suggestions? _suggestions;
    private CancellationTokenSource? _evaluation;

    private bool ReadOnly => !_canEdit || _archived;

    // The name, description and definition as last loaded or saved: the builder has unsaved changes while they differ.
    private string? _saved;
    private string Snapshot() => $"{_name}\n{_description}\n{SegmentDefinition.ToJsonNode(_root).ToJsonString()}";
    private bool Dirty => !ReadOnly && _saved is not null && Snapshot() != _saved;

    protected override async Task OnParametersSetAsync()
    {
        var ct = Disposing;
        var user = await UserAsync();
        _canEdit = user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Marketer);
        _segments = await Segments.ListAsync(includeArchived: false, ct);
        _suggestions = new Suggestions(await Vocabulary.CategoriesAsync(ct), await Vocabulary.BrandsAsync(ct),
            (await Vocabulary.StoresAsync(ct)).Select(s => s.Code).ToList(), await Vocabulary.CitiesAsync(ct));
        if (Id is { } id)
        {
            var details = await Segments.GetAsync(id, ct);
            if (details is null) { _loadError = L["There is no segment {0}.", id]; return; }
            (_name, _description, _version, _archived) = (details.Segment.Name, details.Segment.Description, details.Segment.Version, details.Segment.ArchivedAtUtc is not null);
            _root = details.Definition.Kind is NodeKind.All or NodeKind.Any ? details.Definition : SegmentNode.Group(NodeKind.All, details.Definition);
            _versions = await Segments.VersionsAsync(id, ct);
            _history = await Segments.SizeHistoryAsync(id, 90, ct);
            _historySeries = [new ChartSeries<double> { Name = L["Members"], Data = new ChartData<double>(_history.Select(h => (double)h.Count).ToList()) }];
            _historyLabels = _history.Select(h => h.Day.ToString("dd.MM", System.Globalization.CultureInfo.CurrentCulture)).ToArray();
        }
        _saved = Snapshot();
        await EvaluateAsync(ct);
    }

    /// <summary>Every edit: wait for a pause in typing, then count. A newer edit cancels the older count, so it never wins.</summary>
    private async Task DefinitionChangedAsync()
    {
        _evaluation?.Cancel();
        _evaluation = CancellationTokenSource.CreateLinkedTokenSource(Disposing);
        var ct = _evaluation.Token;
        StateHasChanged();
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(400), ct);
            await EvaluateAsync(ct);
        }
        catch (OperationCanceledException) { }
    }

    private async Task EvaluateAsync(CancellationToken ct)
    {
        var parsed = SegmentDefinition.Parse(SegmentDefinition.ToJsonNode(_root));
        _errors = parsed.Errors;
        if (!parsed.IsValid) { _reach = null; _sample = []; return; }
        _counting = true;
        StateHasChanged();
        try
        {
            // The count first, then the sample, then reach per channel (it probes every member, so it comes last).
            var count = await Segments.CountAsync(parsed.Node!, ct, Id);
            _reach = new SegmentService.Reach(count.Members, count.Total, _reach?.ByChannel ?? new Dictionary<OmniConsole.Core.Common.Channel, int>());
            StateHasChanged();
            _sample = (await Segments.MembersAsync(parsed.Node!, null, 10, ct, Id)).Items;
            StateHasChanged();
            _reach = await Segments.ReachAsync(parsed.Node!, ct, Id);
        }
        catch (SegmentValidationException ex) { (_errors, _reach, _sample) = (ex.Errors, null, []); }
        catch (Exception ex) when (ex is not OperationCanceledException) { UnexpectedError.Show(ex, Snackbar, L, Log); }
        finally { _counting = false; }
    }

    private async Task SaveAsync()
    {
        var parsed = SegmentDefinition.Parse(SegmentDefinition.ToJsonNode(_root));
        if (!parsed.IsValid) { _errors = parsed.Errors; return; }
        _saving = true;
        try
        {
            // A definition that matches no one is most likely a slip (women AND men): asked first, as the count shows 0.
            if ((await Segments.CountAsync(parsed.Node!, Disposing, Id)).Members == 0
                && await Dialogs.ShowMessageBoxAsync(L["No customer matches this segment"],
                    L["The segment has 0 members now: its conditions may contradict each other. Save it anyway?"],
                    yesText: L["Save anyway"], cancelText: L["Cancel"]) != true)
                return;
            var actor = await ActorAsync();
            var saved = Id is { } id
                ? await Segments.UpdateAsync(id, _name, _description, parsed.Node!, actor, Disposing)
                : await Segments.CreateAsync(_name, _description, parsed.Node!, actor, Disposing);
            if (saved is null) { Snackbar.Add(L["This segment no longer exists or is archived."], Severity.Error); return; }
            Snackbar.Add(L["Segment saved as version {0}.", saved.Segment.Version], Severity.Success);
            _errors = [];
            _saved = Snapshot();
            if (Id is null) Navigation.NavigateTo($"/segments/{saved.Segment.Id}");
            else { _version = saved.Segment.Version; _versions = await Segments.VersionsAsync(saved.Segment.Id, Disposing); }
        }
        catch (SegmentValidationException ex) { _errors = ex.Errors; }
        catch (SegmentConflictException ex) { Snackbar.Add(L.Message(ex.Message), Severity.Warning); }
        catch (Exception ex) when (ex is not OperationCanceledException) { UnexpectedError.Show(ex, Snackbar, L, Log); }
        finally { _saving = false; }
    }

    private async Task DuplicateAsync()
    {
        try
        {
            var copy = await Segments.DuplicateAsync(Id!.Value, await ActorAsync(), Disposing);
            if (copy is not null) Navigation.NavigateTo($"/segments/{copy.Segment.Id}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { UnexpectedError.Show(ex, Snackbar, L, Log); }
    }

    private async Task ArchiveAsync()
    {
        try
        {
            if (await Segments.ArchiveAsync(Id!.Value, await ActorAsync(), Disposing))
            {
                Snackbar.Add(L["Segment archived."], Severity.Info);
                _archived = true;
            }
        }
        catch (SegmentInUseException ex) { Snackbar.Add(L.Message(ex.Message), Severity.Warning); }
        catch (Exception ex) when (ex is not OperationCanceledException) { UnexpectedError.Show(ex, Snackbar, L, Log); }
    }

    private async Task ExportAsync()
    {
        try
        {
            var user = await UserAsync();
            var job = await Exports.QueueAsync(Id!.Value, user.StaffName(), FullContacts(user), Disposing, System.Globalization.CultureInfo.CurrentUICulture.Name);
            if (job is null) return;
            Snackbar.Add(L["Export started; follow it on Reports."], Severity.Info);
            Navigation.NavigateTo("/reports");
        }
        catch (Exception ex) when (ex is not OperationCanceledException) { UnexpectedError.Show(ex, Snackbar, L, Log); }
    }

    /// <summary>Administrators and marketers export contacts in full; managers get them masked.</summary>
    public static bool FullContacts(System.Security.Claims.ClaimsPrincipal user) => user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Marketer);

    protected override void OnDisposed() => _evaluation?.Cancel();
}
