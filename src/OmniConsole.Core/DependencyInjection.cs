using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OmniConsole.Core.Audit;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;

namespace OmniConsole.Core;

public static class DependencyInjection
{
    /// <summary>The shared model on the configured provider, and the domain services over it.</summary>
    public static IServiceCollection AddOmniConsoleCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OmniConsoleOptions>().Bind(configuration.GetSection(OmniConsoleOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<OmniConsoleOptions>, OmniConsoleOptionsValidator>();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) is { Length: > 0 } cs ? cs
            : database.Provider == DatabaseProvider.Sqlite ? DatabaseOptions.DefaultSqliteConnection
            : throw new InvalidOperationException($"Database:Provider is {database.Provider} but ConnectionStrings:OmniConsole is not set.");

        var family = DatabaseFamily.For(database.Provider);
        services.AddSingleton(family);
        family.AddServices(services);
        services.AddIdentityStoreSchema();
        services.AddDbContextFactory<OmniConsoleDbContext>(o => o.UseOmniConsoleDatabase(family, connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IdentifierNormalizer>();
        services.AddSingleton<EventValidator>();
        services.AddSingleton(new WriteGate(family.SingleWriter));
        services.AddSingleton(_ => family.CreateWriterConnection());
        services.AddSingleton<CustomerChangeNotifier>();
        services.AddSingleton<CustomerChangeCursor>();
        services.AddSingleton<Jobs.JobLeases>();
        services.AddSingleton<EventIngestionService>();
        services.AddSingleton<CustomerLookup>();
        services.AddSingleton<CustomerSearch>();
        services.AddSingleton<CustomerList>();
        services.AddSingleton<CustomerCards>();
        services.AddSingleton<CustomerDataRequests>();
        services.AddSingleton<CustomerErasure>();
        services.AddSingleton<LoyaltyQuoteService>();
        services.AddSingleton<BonusLifecycle>();
        services.AddSingleton<EarningRuleService>();
        services.AddSingleton<TierService>();
        services.AddSingleton<PromoCampaignService>();
        services.AddSingleton<BirthdayBonuses>();
        services.AddSingleton<CustomerLedger>();
        services.AddSingleton<BonusAdjustments>();
        services.AddSingleton<LoyaltyReport>();
        services.AddSingleton<Dashboard.DashboardFigures>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<SegmentVocabulary>();
        services.AddSingleton<SegmentService>();
        services.TryAddSingleton<Common.IExportText, Common.EnglishExportText>(); // the web app registers its resources first
        services.AddSingleton<Exports.ExportService>();

        services.AddOptions<Campaigns.MessagingOptions>().Bind(configuration.GetSection(Campaigns.MessagingOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Campaigns.MessagingOptions>, Campaigns.MessagingOptionsValidator>();
        services.AddDataProtection(); // tracking links are protected tokens; the web app keeps the keys in the database
        services.AddHttpClient("messaging");
        services.AddSingleton<Campaigns.Delivery.TrackingLinks>();
        services.AddSingleton<Campaigns.Delivery.MessageSenders>();
        services.AddSingleton<Campaigns.Delivery.ChannelBreakers>();
        services.AddSingleton<Campaigns.CampaignService>();
        services.AddSingleton<Campaigns.CampaignFlow>();
        services.AddSingleton<Campaigns.CampaignTriggers>();
        services.AddSingleton<Campaigns.SegmentTriggers>();
        services.AddSingleton<Feedback.FeedbackService>();
        services.AddSingleton<Campaigns.OutboxDispatcher>();
        services.AddSingleton<Campaigns.MessageTracking>();
        services.AddSingleton<Campaigns.CampaignResults>();
        services.AddSingleton<Campaigns.CampaignPreview>();
        return services;
    }
}
