using MudBlazor;
using OmniConsole.Core.Staff;

namespace OmniConsole.Web.Components.Layout;

/// <summary>The app's pages, who may open each, and how the menu shows them. Pages use the same role lists.</summary>
public static class NavItems
{
    public sealed record Item(string Href, string Label, string Icon, string Roles, bool ExactMatch = false);

    public static readonly IReadOnlyList<Item> All =
    [
        new("/", "Dashboard", Icons.Material.Filled.Dashboard, Roles.Dashboard, ExactMatch: true),
        new("/lookup", "Customer lookup", Icons.Material.Filled.PersonSearch, Roles.CustomerViewers),
        new("/customers", "Customers", Icons.Material.Filled.People, Roles.CustomerViewers),
        new("/loyalty/rules", "Bonus rules", Icons.Material.Filled.Loyalty, Roles.LoyaltyEditors),
        new("/loyalty/promocodes", "Promo codes", Icons.Material.Filled.ConfirmationNumber, Roles.LoyaltyEditors),
        new("/segments", "Segments", Icons.Material.Filled.Groups, Roles.SegmentsAndCampaigns),
        new("/campaigns", "Campaigns", Icons.Material.Filled.Campaign, Roles.SegmentsAndCampaigns),
        new("/feedback", "Feedback", Icons.Material.Filled.ThumbsUpDown, Roles.FeedbackStaff),
        new("/reports", "Reports", Icons.Material.Filled.Assessment, Roles.Reports),
        new("/admin/users", "Staff accounts", Icons.Material.Filled.ManageAccounts, Roles.Admin),
        new("/admin/api-keys", "API keys", Icons.Material.Filled.Key, Roles.Admin),
        new("/admin/audit", "Audit log", Icons.Material.Filled.FactCheck, Roles.Admin),
    ];
}
