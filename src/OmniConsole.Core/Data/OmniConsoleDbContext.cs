using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Catalog;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Staff;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Data;

/// <summary>The one shared model: customers, their timeline, orders, loyalty, and the staff who sign in.</summary>
public class OmniConsoleDbContext(DbContextOptions<OmniConsoleDbContext> options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CustomerIdentifier> CustomerIdentifiers => Set<CustomerIdentifier>();
    public DbSet<CustomerConsent> CustomerConsents => Set<CustomerConsent>();
    public DbSet<CustomerEvent> CustomerEvents => Set<CustomerEvent>();
    public DbSet<Store> Stores => Set<Store>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<EarningRule> EarningRules => Set<EarningRule>();
    public DbSet<EarningRuleVersion> EarningRuleVersions => Set<EarningRuleVersion>();
    public DbSet<EarningRuleGrant> EarningRuleGrants => Set<EarningRuleGrant>();
    public DbSet<LoyaltyTier> Tiers => Set<LoyaltyTier>();
    public DbSet<PromoCampaign> PromoCampaigns => Set<PromoCampaign>();
    public DbSet<BonusLot> BonusLots => Set<BonusLot>();
    public DbSet<BonusLedgerEntry> BonusLedger => Set<BonusLedgerEntry>();
    public DbSet<RedemptionAllocation> RedemptionAllocations => Set<RedemptionAllocation>();
    public DbSet<PromoCode> PromoCodes => Set<PromoCode>();
    public DbSet<PromoCodeRedemption> PromoCodeRedemptions => Set<PromoCodeRedemption>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignRecipient> CampaignRecipients => Set<CampaignRecipient>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<SegmentWatch> SegmentWatches => Set<SegmentWatch>();
    public DbSet<SegmentWatchMember> SegmentWatchMembers => Set<SegmentWatchMember>();
    public DbSet<Feedback.SurveyAnswer> SurveyAnswers => Set<Feedback.SurveyAnswer>();
    public DbSet<Feedback.FeedbackFollowup> FeedbackFollowups => Set<Feedback.FeedbackFollowup>();
    public DbSet<ChannelPrice> ChannelPrices => Set<ChannelPrice>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<SegmentVersion> SegmentVersions => Set<SegmentVersion>();
    public DbSet<SegmentSize> SegmentSizes => Set<SegmentSize>();
    public DbSet<CustomerEventFacet> CustomerEventFacets => Set<CustomerEventFacet>();
    public DbSet<CustomerChannelActivity> CustomerChannelActivities => Set<CustomerChannelActivity>();
    public DbSet<Exports.ExportJob> ExportJobs => Set<Exports.ExportJob>();
    public DbSet<Jobs.JobLease> JobLeases => Set<Jobs.JobLease>();
    public DbSet<Dashboard.KeptDashboard> KeptDashboards => Set<Dashboard.KeptDashboard>();
    /// <summary>ASP.NET Core's data-protection keys: sign-in cookies and antiforgery tokens survive a restart and work on every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(OmniConsoleDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // Enums are stored as their names: readable in SQL, stable when members are added.
        configuration.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        // Times are UTC everywhere; SQLite hands them back unspecified, so mark them on the way out.
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }
}
