using Microsoft.Extensions.Localization;
using MudBlazor;

namespace OmniConsole.Web.Setup;

/// <summary>
/// MudBlazor's own words (the pager's "Rows per page:", "1-25 of 77", "All", buttons' labels) in the user's language, from the
/// app's resources: MudBlazor asks a registered <see cref="MudLocalizer"/> for every language but English and keeps its
/// English for what it is not given.
/// </summary>
public sealed class MudBlazorText(IStringLocalizer<SharedResource> L) : MudLocalizer
{
    public override LocalizedString this[string key] => Text(key) is { ResourceNotFound: false } text
        ? new LocalizedString(key, text.Value) : new LocalizedString(key, key, resourceNotFound: true);

    private LocalizedString? Text(string key) => key switch
    {
        "Converter_InvalidDateTime" => L["Not a valid date time"],
        "Converter_InvalidNumber" => L["Not a valid number"],
        "MudAlert_Close" or "MudChip_Close" or "MudColorPicker_Close" or "MudDialog_Close" or "MudSnackbar_Close" => L["Close"],
        "MudBaseDatePicker_NextMonth" => L["Next month {0}"],
        "MudBaseDatePicker_NextYear" => L["Next year {0}"],
        "MudBaseDatePicker_Open" or "MudColorPicker_Open" or "MudTimePicker_Open" => L["Open"],
        "MudBaseDatePicker_PrevMonth" => L["Previous month {0}"],
        "MudBaseDatePicker_PrevYear" => L["Previous year {0}"],
        "MudBreadcrumbs_Label" => L["Breadcrumb"],
        "MudDataGridPager_AllItems" => L["All"],
        "MudDataGridPager_FirstPage" or "MudPagination_FirstPage" or "MudTablePager_FirstPage" => L["First page"],
        "MudDataGridPager_InfoFormat" => L["{0}-{1} of {2}"],
        "MudDataGridPager_LastPage" or "MudPagination_LastPage" or "MudTablePager_LastPage" => L["Last page"],
        "MudDataGridPager_NextPage" or "MudPagination_NextPage" or "MudTablePager_NextPage" => L["Next page"],
        "MudDataGridPager_PreviousPage" or "MudPagination_PreviousPage" or "MudTablePager_PreviousPage" => L["Previous page"],
        "MudDataGridPager_RowsPerPage" => L["Rows per page:"],
        "MudDataGrid_AddFilter" => L["Add filter"],
        "MudDataGrid_Apply" => L["Apply"],
        "MudDataGrid_Cancel" or "MudExitPrompt_Cancel" => L["Cancel"],
        "MudDataGrid_Clear" or "MudInput_Clear" => L["Clear"],
        "MudDataGrid_ClearFilter" => L["Clear filter"],
        "MudDataGrid_CollapseAllGroups" => L["Collapse all groups"],
        "MudDataGrid_CollapseGroup" or "MudTable_CollapseGroup" => L["Collapse group"],
        "MudDataGrid_Column" => L["Column"],
        "MudDataGrid_Columns" => L["Columns"],
        "MudDataGrid_Contains" => L["contains"],
        "MudDataGrid_EndsWith" => L["ends with"],
        "MudDataGrid_Equals" => L["equals"],
        "MudDataGrid_ExpandAllGroups" => L["Expand all groups"],
        "MudDataGrid_ExpandGroup" or "MudTable_ExpandGroup" => L["Expand group"],
        "MudDataGrid_False" => L["false"],
        "MudDataGrid_Filter" => L["Filter"],
        "MudDataGrid_FilterValue" => L["Filter value"],
        "MudDataGrid_Hide" => L["Hide"],
        "MudDataGrid_HideAll" => L["Hide all"],
        "MudDataGrid_Is" => L["is"],
        "MudDataGrid_IsAfter" => L["is after"],
        "MudDataGrid_IsAnyOf" => L["is any of"],
        "MudDataGrid_IsBefore" => L["is before"],
        "MudDataGrid_IsEmpty" => L["is empty"],
        "MudDataGrid_IsNot" => L["is not"],
        "MudDataGrid_IsNotEmpty" => L["is not empty"],
        "MudDataGrid_IsOnOrAfter" => L["is on or after"],
        "MudDataGrid_IsOnOrBefore" => L["is on or before"],
        "MudDataGrid_Loading" or "MudTable_Loading" => L["Loading…"],
        "MudDataGrid_MoveDown" => L["Move down"],
        "MudDataGrid_MoveUp" => L["Move up"],
        "MudDataGrid_NotContains" => L["not contains"],
        "MudDataGrid_NotEquals" => L["not equals"],
        "MudDataGrid_OpenFilters" => L["Open filters"],
        "MudDataGrid_Operator" => L["Operator"],
        "MudDataGrid_RefreshData" => L["Refresh data"],
        "MudDataGrid_RemoveFilter" => L["Remove filter"],
        "MudDataGrid_ReorderColumn" => L["Reorder column"],
        "MudDataGrid_Save" => L["Save"],
        "MudDataGrid_SelectAllRows" or "MudTable_SelectAllRows" => L["Select all rows"],
        "MudDataGrid_SelectRow" or "MudTable_SelectRow" => L["Select row"],
        "MudDataGrid_ShowAll" => L["Show all"],
        "MudDataGrid_ShowColumnOptions" => L["Column options"],
        "MudDataGrid_Sort" => L["Sort"],
        "MudDataGrid_StartsWith" => L["starts with"],
        "MudDataGrid_ToggleGroupExpansion" => L["Toggle group"],
        "MudDataGrid_True" => L["true"],
        "MudDataGrid_Ungroup" => L["Ungroup"],
        "MudDataGrid_Unsort" => L["Unsort"],
        "MudDataGrid_Value" => L["Value"],
        "MudDateRangePicker_End" => L["End date"],
        "MudDateRangePicker_Start" => L["Start date"],
        "MudFormComponent_Required" => L["Required"],
        "MudInput_Decrement" => L["Decrement"],
        "MudInput_Increment" => L["Increment"],
        "MudNavGroup_ToggleExpand" => L["Toggle {0}"],
        "MudPagination_CurrentPage" => L["Current page {0}"],
        "MudPagination_PageIndex" => L["Page {0}"],
        "MudSelect_SelectAll" => L["Select all"],
        "MudTable_SelectGroup" => L["Select group"],
        "MudTreeView_CollapseItem" => L["Collapse"],
        "MudTreeView_ExpandItem" => L["Expand"],
        _ => null,
    };
}
