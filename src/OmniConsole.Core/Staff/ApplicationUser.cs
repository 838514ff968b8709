using Microsoft.AspNetCore.Identity;

namespace OmniConsole.Core.Staff;

/// <summary>A staff member who signs in to the back-office.</summary>
public class ApplicationUser : IdentityUser
{
    public string? DisplayName { get; set; }
    /// <summary>Set for an account made or reset by an administrator: the temporary password must be changed first.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>The store a consultant works in, for their own reference and the managers' (no foreign key: stores come from the channels).</summary>
    public int? HomeStoreId { get; set; }
}

/// <summary>The four staff roles and what each may open.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Marketer = "Marketer";
    public const string Consultant = "Consultant";
    public const string Manager = "Manager";

    public static readonly IReadOnlyList<string> All = [Administrator, Marketer, Consultant, Manager];

    // Comma lists for [Authorize(Roles = ...)]
    public const string CustomerViewers = Administrator + "," + Marketer + "," + Consultant + "," + Manager;
    /// <summary>Who works the feedback follow-ups (/feedback): consultants only for their home store's customers, where they have one.</summary>
    public const string FeedbackStaff = CustomerViewers;
    public const string Dashboard = Administrator + "," + Marketer + "," + Manager;
    public const string LoyaltyEditors = Administrator + "," + Marketer;
    public const string SegmentsAndCampaigns = Administrator + "," + Marketer + "," + Manager;
    public const string SegmentEditors = Administrator + "," + Marketer;
    public const string Reports = Administrator + "," + Marketer + "," + Manager;
    public const string Admin = Administrator;
}
