using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using OmniConsole.Core.Customers;

namespace OmniConsole.Web.Components.Pages.Customers;

/// <summary>
/// The customer list. Filters, sort and page are mirrored in the URL (replaced, not pushed, on every load), so opening
/// a customer and pressing Back returns to the same list, and a list can be bookmarked or sent to a colleague.
/// </summary>
public partial class Customers
{
    private static readonly int[] PageSizes = [25, 50, 100];

    // The URL is read when the page opens, or when someone else changes it (the menu's "Customers" again, a pasted link);
    // otherwise the page's own state is written to it.
    [SupplyParameterFromQuery(Name = "name")] public string? QueryName { get; set; }
    [SupplyParameterFromQuery(Name = "phone")] public string? QueryPhone { get; set; }
    [SupplyParameterFromQuery(Name = "email")] public string? QueryEmail { get; set; }
    [SupplyParameterFromQuery(Name = "card")] public string? QueryCard { get; set; }
    [SupplyParameterFromQuery(Name = "city")] public string? QueryCity { get; set; }
    [SupplyParameterFromQuery(Name = "tier")] public string? QueryTier { get; set; }
    [SupplyParameterFromQuery(Name = "segment")] public int? QuerySegment { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? QueryFrom { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? QueryTo { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? QuerySort { get; set; }
    [SupplyParameterFromQuery(Name = "desc")] public bool QueryDesc { get; set; }
    /// <summary>1-based, as people count pages.</summary>
    [SupplyParameterFromQuery(Name = "page")] public int? QueryPage { get; set; }
    [SupplyParameterFromQuery(Name = "size")] public int? QuerySize { get; set; }

    private sealed class FilterModel
    {
        public string? Name { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public string? Card { get; set; }
        public string? City { get; set; }
        public string? Tier { get; set; }
        public int? SegmentId { get; set; }
    }

    private MudDataGrid<CustomerList.Row>? _grid;
    private readonly FilterModel _filter = new();
    private bool _maskContacts = true; // until the user is known
    private DateRange? _lastPurchase;
    private List<string> _cities = [];
    private List<OmniConsole.Core.Segments.SegmentService.Summary> _segments = [];
    // The tiers configured on /loyalty (every customer is in one of them), or the base tier while there are none.
    private List<string> _tiers = [LoyaltyTiers.Base];
    private int _page;
    private int _size = PageSizes[0];
    private CustomerList.SortBy? _sort;
    private bool _descending;
    private bool _initialised;
    private string? _writtenUri;
    /// <summary>Bumped when the URL is read again: a new grid (its @key) starts from the page and sort just read.</summary>
    private int _generation;

    protected override async Task OnInitializedAsync()
    {
        // Before the first await: the grid that renders while the cities load already starts from the URL's state.
        ReadQuery();
        _maskContacts = Components.Shared.ContactPrivacy.Masks(await UserAsync());
        _cities = await List.CitiesAsync(Disposing);
        _segments = await Segments.ListAsync(includeArchived: false, Disposing);
        if ((await Tiers.ListAsync(Disposing)).Select(t => t.Name).ToList() is { Count: > 0 } tiers) _tiers = tiers;
    }

    protected override void OnParametersSet()
    {
        if (!_initialised)
        {
            _initialised = true; // the URL was read as the page initialised
            return;
        }
        if (_writtenUri is not null && SameUri(Navigation.Uri, _writtenUri)) return;
        _generation++;
        ReadQuery();
    }

    private void ReadQuery()
    {
        (_filter.Name, _filter.Phone, _filter.Email, _filter.Card, _filter.City, _filter.Tier) =
            (QueryName, QueryPhone, QueryEmail, QueryCard, QueryCity, QueryTier);
        _filter.SegmentId = QuerySegment;
        var (from, to) = (ParseDate(QueryFrom), ParseDate(QueryTo));
        _lastPurchase = from is null && to is null ? null : new DateRange(from, to);
        _page = Math.Max(0, (QueryPage ?? 1) - 1);
        _size = QuerySize is { } size && PageSizes.Contains(size) ? size : PageSizes[0];
        _sort = Enum.TryParse<CustomerList.SortBy>(QuerySort, ignoreCase: true, out var sort) ? sort : null;
        _descending = QueryDesc;
    }

    private SortDirection Initial(CustomerList.SortBy column) =>
        column != _sort ? SortDirection.None : _descending ? SortDirection.Descending : SortDirection.Ascending;

    private async Task<GridData<CustomerList.Row>> LoadAsync(GridState<CustomerList.Row> state, CancellationToken ct)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        _sort = sort?.SortBy switch
        {
            null => null,
            nameof(CustomerList.Row.City) => CustomerList.SortBy.City,
            nameof(CustomerList.Row.LastPurchaseAtUtc) => CustomerList.SortBy.LastPurchase,
            nameof(CustomerList.Row.LifetimeValueMinor) => CustomerList.SortBy.LifetimeValue,
            nameof(CustomerList.Row.RegisteredAtUtc) => CustomerList.SortBy.Registered,
            _ => CustomerList.SortBy.Name,
        };
        (_descending, _page, _size) = (sort?.Descending ?? false, state.Page, state.PageSize);
        WriteUrl();

        var filter = new CustomerList.Filter(_filter.Name, _filter.Phone, _filter.Email, _filter.Card, _filter.City, _filter.Tier,
            _lastPurchase?.Start is { } from ? Format.ToUtc(from.Date) : null,
            _lastPurchase?.End is { } to ? Format.ToUtc(to.Date.AddDays(1)) : null, _filter.SegmentId);
        var page = await List.ReadAsync(filter, _sort ?? CustomerList.SortBy.Name, _descending, state.Page * state.PageSize, state.PageSize, await ActorAsync(), ct);
        return new GridData<CustomerList.Row> { Items = page.Rows, TotalItems = page.Total };
    }

    /// <summary>The list's state as query parameters; defaults are left out, so the plain list is plain /customers.</summary>
    private void WriteUrl()
    {
        static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        static string? Date(DateTime? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var uri = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["name"] = Text(_filter.Name), ["phone"] = Text(_filter.Phone), ["email"] = Text(_filter.Email), ["card"] = Text(_filter.Card),
            ["city"] = Text(_filter.City), ["tier"] = Text(_filter.Tier), ["segment"] = _filter.SegmentId, ["from"] = Date(_lastPurchase?.Start), ["to"] = Date(_lastPurchase?.End),
            ["sort"] = _sort?.ToString().ToLowerInvariant(), ["desc"] = _descending ? "true" : null,
            ["page"] = _page > 0 ? (_page + 1).ToString(CultureInfo.InvariantCulture) : null,
            ["size"] = _size != PageSizes[0] ? _size.ToString(CultureInfo.InvariantCulture) : null,
        });
        _writtenUri = uri;
        if (!SameUri(uri, Navigation.Uri)) Navigation.NavigateTo(uri, replace: true);
    }

    /// <summary>Equal but for percent-encoding (the browser may report the address differently encoded).</summary>
    private static bool SameUri(string a, string b) => Uri.UnescapeDataString(a) == Uri.UnescapeDataString(b);

    private static DateTime? ParseDate(string? s) =>
        DateTime.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>A changed filter starts again from the first page.</summary>
    private async Task ReloadAsync()
    {
        if (_grid is null) return;
        if (_grid.CurrentPage != 0) _grid.NavigateTo(MudBlazor.Page.First); // loads the first page
        else await _grid.ReloadServerData();
    }

    private Task SetAsync(Action change)
    {
        change();
        return ReloadAsync();
    }
}
