using Bogus;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using BogusGender = Bogus.DataSets.Name.Gender;

namespace OmniConsole.DemoData;

/// <summary>
/// Makes random customers of a Russian retailer: names from Bogus's Russian locale, cities weighted by size,
/// about 10 % who never bought, 15 % who stopped buying more than six months ago, the rest active; channel habits,
/// identifiers and consent decisions in believable proportions.
/// </summary>
internal sealed class ProfileFactory(Random random, Faker faker, DemoCatalog catalog, DemoIdentifiers identifiers, DateTime nowUtc)
{
    private static readonly (Department Department, double Weight)[] WomenDepartments =
        [(Department.Clothing, 0.5), (Department.Electronics, 0.25), (Department.Home, 0.25)];
    private static readonly (Department Department, double Weight)[] MenDepartments =
        [(Department.Electronics, 0.55), (Department.Clothing, 0.2), (Department.Home, 0.25)];

    private readonly double _cityWeights = catalog.Cities.Sum(c => c.Weight);
    private readonly DateTime _historyStart = nowUtc.AddDays(-DemoCatalog.HistoryDays);

    public CustomerProfile Create(long id, long ordinal)
    {
        var roll = random.NextDouble();
        var segment = roll < 0.10 ? Segment.Prospect : roll < 0.25 ? Segment.Lapsed : Segment.Active;
        var gender = random.NextDouble() < 0.56 ? Gender.Female : Gender.Male;
        var bogusGender = gender == Gender.Female ? BogusGender.Female : BogusGender.Male;
        var firstName = faker.Name.FirstName(bogusGender);
        var lastName = faker.Name.LastName(bogusGender);
        var age = Math.Clamp((int)Math.Round(38 + 12 * StandardNormal()), 18, 80);
        var city = PickCity();
        var homeStore = city.Stores.Count == 0 ? null : city.Stores[random.Next(city.Stores.Count)];

        // Prospects mostly signed up recently; lapsed customers long enough ago to have bought and then stopped.
        var registered = segment switch
        {
            Segment.Prospect => nowUtc.AddDays(-(1 + 299 * Math.Pow(random.NextDouble(), 2))),
            Segment.Lapsed => Between(_historyStart, nowUtc.AddDays(-230)),
            _ => Between(_historyStart, nowUtc.AddDays(-3)),
        };
        registered = WholeSeconds(registered);
        DateTime? buysUntil = segment switch
        {
            Segment.Prospect => null,
            Segment.Lapsed => WholeSeconds(Between(registered.AddDays(20), nowUtc.AddDays(-190))),
            _ => nowUtc,
        };
        var engagedUntil = segment == Segment.Lapsed ? buysUntil!.Value.AddDays(20) : nowUtc;

        var signUp = homeStore is not null && random.NextDouble() < 0.45 ? Channel.Store : random.NextDouble() < 0.55 ? Channel.Online : Channel.App;
        DateTime? appInstalled = signUp == Channel.App ? registered
            : random.NextDouble() < 0.45 ? WholeSeconds(Between(registered.AddHours(1), Min(engagedUntil.AddHours(-1), registered.AddDays(200)))) : null;
        var shopsOnline = signUp == Channel.Online || homeStore is null || random.NextDouble() < 0.6;
        var email = signUp == Channel.Online || random.NextDouble() < 0.85 ? identifiers.Email(firstName, lastName, ordinal, random) : null;

        return new CustomerProfile
        {
            Id = id,
            Gender = gender,
            FirstName = firstName,
            LastName = lastName,
            BirthDate = DateOnly.FromDateTime(nowUtc).AddYears(-age).AddDays(-random.Next(365)),
            City = city,
            HomeStore = homeStore,
            RegisteredAt = registered,
            RegisteredIn = signUp,
            Segment = segment,
            BuysUntil = buysUntil,
            EngagedUntil = engagedUntil,
            Phone = DemoIdentifiers.Phone(ordinal),
            Email = email,
            CardNumber = random.NextDouble() < (signUp == Channel.Store ? 0.95 : 0.4) ? DemoIdentifiers.Card(ordinal) : null,
            ExternalId = shopsOnline && random.NextDouble() < 0.7 ? DemoIdentifiers.ExternalId(ordinal) : null,
            AppInstalledAt = appInstalled,
            ShopsOnline = shopsOnline,
            Consents = Consents(registered, appInstalled, email is not null, engagedUntil),
            Interests = Interests(gender),
        };
    }

    /// <summary>
    /// Decisions at sign-up (email, SMS, messengers of those who use them) and at app install (push); a few are
    /// reversed later: an unsubscribe link in an email or messenger, or a switch in the app settings.
    /// </summary>
    private Dictionary<Channel, ConsentHistory> Consents(DateTime registered, DateTime? appInstalled, bool hasEmail, DateTime engagedUntil)
    {
        var consents = new Dictionary<Channel, ConsentHistory>();
        var signUpForm = registered.AddMinutes(3);
        if (hasEmail) consents[Channel.Email] = Decide(signUpForm, 0.75, 0.07, unsubscribeLink: true);
        consents[Channel.Sms] = Decide(signUpForm, 0.6, 0.05, unsubscribeLink: false);
        if (random.NextDouble() < 0.2) consents[Channel.Viber] = Decide(signUpForm, 0.8, 0.05, unsubscribeLink: true);
        if (random.NextDouble() < 0.3) consents[Channel.Telegram] = Decide(signUpForm, 0.8, 0.05, unsubscribeLink: true);
        if (appInstalled is { } installed) consents[Channel.Push] = Decide(installed.AddMinutes(1), 0.65, 0.08, unsubscribeLink: false);
        return consents;

        ConsentHistory Decide(DateTime at, double grantRate, double reverseRate, bool unsubscribeLink)
        {
            var granted = random.NextDouble() < grantRate;
            if (random.NextDouble() >= reverseRate) return new ConsentHistory(at, granted);
            // Withdrawn by an unsubscribe link (any time), or switched in the app or account settings (while still engaged).
            var how = granted && unsubscribeLink && random.NextDouble() < 0.7 ? ConsentReversal.Unsubscribed : ConsentReversal.ChangedInSettings;
            var until = how == ConsentReversal.Unsubscribed ? nowUtc : engagedUntil;
            if (at.AddDays(1) >= until) return new ConsentHistory(at, granted);
            return new ConsentHistory(at, granted, WholeSeconds(Between(at.AddDays(1), until)), how);
        }
    }

    private List<CategoryInfo> Interests(Gender gender)
    {
        var weights = gender == Gender.Female ? WomenDepartments : MenDepartments;
        var roll = random.NextDouble();
        var main = weights[^1].Department;
        foreach (var (department, weight) in weights)
        {
            if ((roll -= weight) < 0) { main = department; break; }
        }
        var own = catalog.CategoriesByDepartment[main].OrderBy(_ => random.Next()).Take(2);
        var others = catalog.CategoriesByDepartment.Where(d => d.Key != main).SelectMany(d => d.Value).ToList();
        return [.. own, others[random.Next(others.Count)]];
    }

    private City PickCity()
    {
        var roll = random.NextDouble() * _cityWeights;
        foreach (var city in catalog.Cities)
            if ((roll -= city.Weight) < 0) return city;
        return catalog.Cities[^1];
    }

    private DateTime Between(DateTime from, DateTime to) =>
        to <= from ? from : from.AddSeconds((to - from).TotalSeconds * random.NextDouble());

    private double StandardNormal() =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime WholeSeconds(DateTime t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond));
}
