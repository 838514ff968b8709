using Bogus;
using OmniConsole.Core.Loyalty;

namespace OmniConsole.DemoData;

/// <summary>
/// The customers of a data set, one at a time: the showcase customers first, then random ones. Each customer's
/// share of the event budget is drawn from a skewed distribution (a few very active customers, many quiet ones)
/// and nudged by how far the running total is from the target, so the total lands close to it.
/// Single-threaded and seeded: the same options give the same customers.
/// </summary>
internal sealed class PopulationGenerator
{
    private const double ActivitySpread = 0.8;
    private static readonly Dictionary<Segment, double> SegmentActivity = new()
    {
        [Segment.Prospect] = 0.4, [Segment.Lapsed] = 0.7, [Segment.Active] = 1.14, // averages to about 1 over the segment shares
    };

    private readonly GenerationOptions _options;
    private readonly Random _random;
    private readonly IdSequences _ids;
    private readonly ProfileFactory _profiles;
    private readonly HistoryPlanner _planner;
    private readonly HistoryRecorder _recorder;
    private readonly ShowcaseHistories _showcase;

    public PopulationGenerator(GenerationOptions options, DateTime nowUtc, DemoCatalog catalog, LoyaltyPolicy policy, IdSequences ids)
    {
        _options = options;
        _random = new Random(options.Seed);
        _ids = ids;
        var identifiers = new DemoIdentifiers();
        int? activationDelay = policy.ShortestActivationDelayDays;
        var faker = new Faker("ru") { Random = new Randomizer(options.Seed) };
        _profiles = new ProfileFactory(_random, faker, catalog, identifiers, nowUtc);
        _planner = new HistoryPlanner(_random, catalog, identifiers, nowUtc, activationDelay);
        _recorder = new HistoryRecorder(_random, catalog, policy, ids, nowUtc, options.CampaignMessages);
        _showcase = new ShowcaseHistories(catalog, identifiers, nowUtc, activationDelay);
    }

    public IEnumerable<GeneratedCustomer> Generate(CancellationToken ct)
    {
        long events = 0;
        var customers = 0;
        foreach (var (profile, plan) in _showcase.Create(_ids))
        {
            var showcase = _recorder.Record(profile, plan);
            events += showcase.Events.Count;
            customers++;
            yield return showcase;
        }

        var perCustomer = (double)_options.Events / _options.Customers;
        for (long ordinal = 0; customers < _options.Customers; ordinal++, customers++)
        {
            ct.ThrowIfCancellationRequested();
            var profile = _profiles.Create(_ids.NextCustomer(), ordinal);
            var behindTarget = perCustomer * customers - events;
            var budget = (int)Math.Clamp(perCustomer * Activity(profile.Segment) + 0.2 * behindTarget, 1, Math.Max(1, 40 * perCustomer));
            var customer = _recorder.Record(profile, _planner.Plan(profile, budget));
            events += customer.Events.Count;
            yield return customer;
        }
    }

    /// <summary>Log-normal with mean 1, scaled by the segment.</summary>
    private double Activity(Segment segment)
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
        return Math.Exp(ActivitySpread * normal - ActivitySpread * ActivitySpread / 2) * SegmentActivity[segment];
    }
}
