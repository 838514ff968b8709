using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Catalog;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Data;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Core.Channels;

/// <summary>
/// One batch of events applied inside one transaction. Everything the batch will ask for (known event ids,
/// identifiers, customers, stores, products, orders, promo codes) is loaded up front in a few set queries, so
/// each event is applied in memory and the batch is written with one SaveChanges. Each event is first checked
/// against that state and only then changes it, so a rejected event leaves nothing behind.
/// </summary>
internal sealed class IngestionRun(OmniConsoleDbContext db, string source, DateTime nowUtc, LoyaltyRules loyalty,
    ChannelActivityWrites? activityWrites = null, SegmentService? segments = null) : ILoyaltyRows
{
    private readonly LoyaltyPolicy _policy = loyalty.Policy;
    private readonly LoyaltyEffects _loyalty = new(loyalty.Policy);
    private readonly Dictionary<(long Customer, int Segment), bool> _membership = [];
    private readonly Dictionary<(Customer, int), int> _campaignUses = [];
    private readonly Dictionary<int, long> _accruedByRule = [];
    /// <summary>Customers whose 365-day spend changed (a purchase or a return): their tier is recomputed before commit.</summary>
    private readonly HashSet<Customer> _spendChanged = new(ReferenceEqualityComparer.Instance);
    private const int InChunk = 500; // SQL Server allows ~2100 parameters per command

    private readonly Dictionary<string, Customer> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<(IdentifierKind, string, string), Customer> _byIdentifier = [];
    private readonly Dictionary<long, Customer> _customers = [];
    private readonly Dictionary<Customer, BonusWallet> _wallets = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Customer, List<BonusLot>> _accruedInBatch = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, Store> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Product> _products = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _campaignNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Order?> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PromoCode?> _promos = new(StringComparer.Ordinal);
    private readonly DeferredRows _deferred = new(activityWrites);

    /// <summary>Channel activity rows this batch wrote (remembered by the caller once the batch commits).</summary>
    public IReadOnlyList<(long CustomerId, Channel Channel, DateTime First, DateTime Last)> ActivityWritten => _deferred.ActivityWritten;

    public BatchTiming? Timing { get => _deferred.Timing; set => _deferred.Timing = value; }

    /// <summary>Customers whose card changed, for live updates once the batch is committed.</summary>
    public HashSet<Customer> Touched { get; } = [];
    public HashSet<long> MergedAway { get; } = [];

    public async Task PreloadAsync(IReadOnlyList<ValidEvent> events, CancellationToken ct)
    {
        foreach (var chunk in events.Select(e => e.EventId).Distinct().Chunk(InChunk))
        {
            var found = await db.CustomerEvents.Where(e => e.Source == source && chunk.Contains(e.SourceEventId))
                .Select(e => new { e.SourceEventId, e.CustomerId }).ToListAsync(ct);
            foreach (var f in found) _seen[f.SourceEventId] = new Customer { Id = f.CustomerId };
        }
        Timing?.Lap("known-ids");

        var identified = new List<(IdentifierKind Kind, string Source, string Value, long CustomerId)>();
        foreach (var chunk in events.SelectMany(e => e.Identifiers).Select(i => i.Value).Distinct().Chunk(InChunk))
            identified.AddRange((await db.CustomerIdentifiers.Where(i => chunk.Contains(i.Value))
                .Select(i => new { i.Kind, i.Source, i.Value, i.CustomerId }).ToListAsync(ct)).Select(f => (f.Kind, f.Source, f.Value, f.CustomerId)));
        // Where writers run side by side, a batch holds its customers from here to its commit: another batch for the
        // same customers waits rather than failing on their concurrency tokens (in key order, so two never deadlock).
        var customerIds = identified.Select(f => f.CustomerId).Distinct().Order().ToList();
        await db.Family().LockCustomersAsync(db, customerIds, ct);
        await LoadCustomersAsync(customerIds, ct);
        foreach (var f in identified) _byIdentifier[(f.Kind, f.Source, f.Value)] = _customers[f.CustomerId];
        Timing?.Lap("customers");
        await PreloadMembershipAsync(events, ct);

        var codes = events.Select(e => e.StoreCode).OfType<string>().Distinct().ToList();
        foreach (var chunk in codes.Chunk(InChunk))
            foreach (var s in await db.Stores.Where(s => chunk.Contains(s.Code)).ToListAsync(ct)) _stores[s.Code] = s;

        var skus = events.SelectMany(Skus).Distinct().ToList();
        foreach (var chunk in skus.Chunk(InChunk))
            foreach (var p in await db.Products.Where(p => chunk.Contains(p.Sku)).ToListAsync(ct)) _products[p.Sku] = p;

        var campaigns = events.Select(e => e.Message?.CampaignId).OfType<string>().Distinct().ToList();
        foreach (var chunk in campaigns.Chunk(InChunk))
            foreach (var c in await db.Campaigns.Where(c => chunk.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
                _campaignNames[c.Id] = c.Name;
        foreach (var id in campaigns) _campaignNames.TryAdd(id, null);

        var numbers = events.Select(e => e.Order?.OrderNumber).OfType<string>().Distinct().ToList();
        foreach (var chunk in numbers.Chunk(InChunk))
            foreach (var o in await db.Orders.Where(o => o.Source == source && chunk.Contains(o.OrderNumber)).ToListAsync(ct))
                _orders[o.OrderNumber] = o;
        foreach (var n in numbers) _orders.TryAdd(n, null);

        var promoCodes = events.Select(e => e.Order?.PromoCode).OfType<string>().Distinct().ToList();
        foreach (var chunk in promoCodes.Chunk(InChunk))
            foreach (var p in await db.PromoCodes.Include(p => p.PromoCampaign).Where(p => chunk.Contains(p.Code)).ToListAsync(ct)) _promos[p.Code] = p;
        foreach (var c in promoCodes) _promos.TryAdd(c, null);
    }

    /// <summary>
    /// Segment membership that rules ask about, for the batch's buying customers: one query per segment and batch rather
    /// than one per purchase. It is membership as the batch found it; a customer the batch creates is in no segment yet.
    /// </summary>
    private async Task PreloadMembershipAsync(IReadOnlyList<ValidEvent> events, CancellationToken ct)
    {
        if (segments is null || _policy.ReferencedSegments.Count == 0) return;
        var buyers = events.Where(e => e.Type == EventType.Purchase)
            .SelectMany(e => e.Identifiers.Select(i => _byIdentifier.GetValueOrDefault((i.Kind, i.Source, i.Value))))
            .OfType<Customer>().Select(c => c.Id).Distinct().ToList();
        if (buyers.Count == 0) return;
        foreach (var segment in _policy.ReferencedSegments)
        {
            var members = await segments.MembersAmongAsync(db, segment, buyers, ct);
            foreach (var id in buyers) _membership[(id, segment)] = members.Contains(id);
        }
    }

    private static IEnumerable<string> Skus(ValidEvent e) =>
        (e.Order?.Lines ?? []).Concat(e.CartLines ?? []).Select(l => l.Sku).Concat(e.Product is null ? [] : [e.Product.Sku]);

    private async Task LoadCustomersAsync(IEnumerable<long> ids, CancellationToken ct)
    {
        var missing = ids.Where(id => !_customers.ContainsKey(id)).ToList();
        foreach (var chunk in missing.Chunk(InChunk))
            foreach (var c in await db.Customers.Where(c => chunk.Contains(c.Id)).ToListAsync(ct))
                _customers[c.Id] = c;
    }

    /// <summary>What became of one event; the customer's id is read once the batch is saved (new customers get theirs then).</summary>
    public sealed record Outcome(string Status, Customer? Customer, IReadOnlyList<FieldError> Errors);

    public async Task<Outcome> ApplyAsync(ValidEvent e, CancellationToken ct)
    {
        if (_seen.TryGetValue(e.EventId, out var earlier))
            return new Outcome(EventStatus.Duplicate, earlier, []);

        var candidates = e.Identifiers.Select(i => _byIdentifier.GetValueOrDefault((i.Kind, i.Source, i.Value)))
            .OfType<Customer>().Distinct().ToList();

        var errors = await CheckAsync(e, candidates, ct);
        if (errors.Count > 0) return new Outcome(EventStatus.Rejected, null, errors);

        var customer = await ResolveAsync(e, candidates, ct);
        var ev = new CustomerEvent
        {
            Customer = customer,
            Channel = e.Channel,
            Type = e.Type,
            OccurredAtUtc = e.OccurredAtUtc,
            ReceivedAtUtc = nowUtc,
            Source = source,
            SourceEventId = e.EventId,
            CampaignId = e.Message?.CampaignId,
            MessageId = e.Message?.MessageId,
            ProductSku = e.Product?.Sku,
            Payload = new EventPayload
            {
                Product = e.Product,
                Cart = e.CartLines,
                Consents = e.Consents,
                Text = e.Text,
                StoreCode = e.StoreCode,
                Message = e.Message is null ? null : new MessagePayload(e.Message.CampaignId, e.Message.MessageId,
                    e.Message.CampaignId is null ? null : _campaignNames.GetValueOrDefault(e.Message.CampaignId)),
            },
        };
        if (e.StoreCode is not null) ev.Store = StoreFor(e.StoreCode, e.Profile.City);
        foreach (var sku in Skus(e)) ProductFor(e, sku);

        switch (e.Type)
        {
            case EventType.Purchase:
                await ApplyPurchaseAsync(e, customer, ev, ct);
                break;
            case EventType.OrderPlaced:
                await ApplyOrderPlacedAsync(e, customer, ev, ct);
                break;
            case EventType.Return:
                await ApplyReturnAsync(e, customer, ev, ct);
                break;
            case EventType.ConsentChanged:
                await LoadConsentsAsync(customer, ct);
                foreach (var (channel, granted) in e.Consents!) SetConsent(customer, channel, granted, e.OccurredAtUtc);
                break;
            case EventType.Unsubscribed when e.Channel.IsMessaging():
                await LoadConsentsAsync(customer, ct);
                SetConsent(customer, e.Channel, false, e.OccurredAtUtc);
                break;
        }

        ev.Summary = TimelineText.Summary(ev.Type, ev.Channel, ev.Payload, CultureInfo.InvariantCulture, storeName: ev.Store?.Name);
        _deferred.Add(ev);
        foreach (var facet in SegmentFacts.FacetsOf(ev, customer)) _deferred.Add(facet);
        SegmentFacts.ApplyCart(customer, ev);
        _deferred.Touch(customer, ev.Channel, ev.OccurredAtUtc);
        _seen[e.EventId] = customer;
        Touched.Add(customer);
        return new Outcome(EventStatus.Accepted, customer, []);
    }

    // ---------- checks: read only ----------

    private async Task<List<FieldError>> CheckAsync(ValidEvent e, List<Customer> candidates, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (e.Order is not { } o) return errors;

        if (e.Type == EventType.Purchase)
        {
            if (_orders.GetValueOrDefault(o.OrderNumber) is { Status: OrderStatus.Purchased })
                errors.Add(new("order.orderNumber", $"Order {o.OrderNumber} is already recorded as a purchase from this source; a purchase is not accrued twice."));
            if (o.PromoCode is { } code && await PromoCodeErrorAsync(e, code, candidates, ct) is { } promoError)
                errors.Add(new("order.promoCode", promoError));
            if (o.BonusRedeemed.Minor > 0)
            {
                var active = Money.Zero;
                foreach (var c in candidates) active += (await WalletAsync(c, ct)).Active(nowUtc);
                var facts = await PurchaseFactsAsync(e, candidates.FirstOrDefault(), ct);
                var share = _policy.MaxRedeemShareBasisPoints(facts);
                var maxShare = o.Total.PercentDown(share);
                if (o.BonusRedeemed > active)
                    errors.Add(new("order.bonusRedeemed", $"Not enough active bonus points: {o.BonusRedeemed} requested, {active} available."));
                else if (o.BonusRedeemed > maxShare)
                    errors.Add(new("order.bonusRedeemed", $"At most {share / 100m:0.##} % of this check ({maxShare}) can be paid with points."));
            }
        }
        else if (e.Type == EventType.Return)
        {
            var original = await OriginalPurchaseAsync(o.OrderNumber, candidates, ct);
            if (original is null)
                errors.Add(new("order.orderNumber", $"No purchase {o.OrderNumber} of this customer is known; a return must name the original purchase."));
            else if (original.RefundedMinor + o.Total.Minor > original.TotalMinor)
                errors.Add(new("order.total", $"Returns of order {o.OrderNumber} would exceed its total: {new Money(original.TotalMinor)} paid, {new Money(original.RefundedMinor)} already refunded."));
        }
        return errors;
    }

    /// <summary>Why a purchase cannot use the code (MANAGEMENT-API.md, promo codes), or null when it can.</summary>
    private async Task<string?> PromoCodeErrorAsync(ValidEvent e, string code, List<Customer> candidates, CancellationToken ct)
    {
        var promo = _promos.GetValueOrDefault(code);
        if (promo is null) return $"Promo code {code} does not exist.";
        if (!promo.IsValidAt(e.OccurredAtUtc) || promo.PromoCampaign?.IsValidAt(e.OccurredAtUtc) == false)
            return $"Promo code {code} is expired or not valid at {e.OccurredAtUtc:yyyy-MM-dd}.";
        if (promo.PromoCampaign is { Channels.Count: > 0 } channels && !channels.Channels.Contains(e.Channel))
            return $"Promo code {code} is not accepted in channel {e.Channel.ApiName()}.";
        if (promo.IsUsedUp) return promo.MaxUses == 1 ? $"Promo code {code} has already been used." : $"Promo code {code} is used up: {promo.MaxUses} uses.";
        var customer = candidates.Count == 1 ? candidates[0] : null;
        if (promo.CustomerId is { } owner && customer?.Id != owner)
            return $"Promo code {code} was issued to another customer.";
        if (promo.PromoCampaign is { UsesPerCustomer: { } perCustomer } campaign && customer is not null
            && await CampaignUsesAsync(customer, campaign.Id, ct) >= perCustomer)
            return $"Promo code {code}: this customer has already used the offer {perCustomer} time(s), its limit per customer.";
        return null;
    }

    /// <summary>How many purchases of this customer used a code of the campaign, this batch's included.</summary>
    private async Task<int> CampaignUsesAsync(Customer customer, int campaignId, CancellationToken ct)
    {
        if (_campaignUses.TryGetValue((customer, campaignId), out var uses)) return uses;
        uses = customer.Id == 0 ? 0
            : await db.PromoCodeRedemptions.CountAsync(r => r.CustomerId == customer.Id && r.PromoCode!.PromoCampaignId == campaignId, ct);
        return _campaignUses[(customer, campaignId)] = uses;
    }

    /// <summary>What the earning rules see of a purchase: its lines, store, the customer's tier and the segments the rules ask about.</summary>
    private async Task<PurchaseFacts> PurchaseFactsAsync(ValidEvent e, Customer? customer, CancellationToken ct)
    {
        var o = e.Order!;
        var inSegments = new HashSet<int>();
        if (customer is { Id: > 0 } && segments is not null)
            foreach (var segment in _policy.ReferencedSegments)
            {
                if (!_membership.TryGetValue((customer.Id, segment), out var member))
                    _membership[(customer.Id, segment)] = member = await segments.IsMemberAsync(db, segment, customer.Id, ct);
                if (member) inSegments.Add(segment);
            }
        return new PurchaseFacts(e.Channel, e.StoreCode, o.Lines, o.Total, o.BonusRedeemed, e.OccurredAtUtc, customer?.Tier ?? LoyaltyTiers.Base, inSegments);
    }

    private async Task<Order?> OriginalPurchaseAsync(string number, List<Customer> candidates, CancellationToken ct)
    {
        var ids = candidates.Select(c => c.Id).ToList();
        if (_orders.GetValueOrDefault(number) is { Status: OrderStatus.Purchased } own && candidates.Any(c => ReferenceEquals(c, own.Customer) || c.Id == own.CustomerId))
            return own;
        // Returned in another channel than bought (online order returned at a till): the customer's order with that number.
        return ids.Count == 0 ? null : await db.Orders.Where(o => o.OrderNumber == number && ids.Contains(o.CustomerId) && o.Status == OrderStatus.Purchased)
            .OrderBy(o => o.Id).FirstOrDefaultAsync(ct);
    }

    // ---------- identity resolution ----------

    private async Task<Customer> ResolveAsync(ValidEvent e, List<Customer> candidates, CancellationToken ct)
    {
        Customer customer;
        if (candidates.Count == 0)
        {
            customer = new Customer { RegisteredAtUtc = e.OccurredAtUtc, Tier = loyalty.TierFor(0) };
            db.Customers.Add(customer);
            Welcome(customer, e);
        }
        else if (candidates.Count == 1)
        {
            customer = candidates[0];
        }
        else
        {
            customer = await MergeAsync(candidates, e, ct);
        }

        foreach (var id in e.Identifiers)
        {
            if (_byIdentifier.ContainsKey((id.Kind, id.Source, id.Value))) continue;
            customer.Identifiers.Add(new CustomerIdentifier { Kind = id.Kind, Source = id.Source, Value = id.Value, AddedAtUtc = nowUtc });
            _byIdentifier[(id.Kind, id.Source, id.Value)] = customer;
        }
        ApplyProfile(customer, e.Profile, overwrite: e.Type == EventType.ProfileUpdated);
        if (e.OccurredAtUtc < customer.RegisteredAtUtc) customer.RegisteredAtUtc = e.OccurredAtUtc;
        return customer;
    }

    /// <summary>Welcome rules accrue once, when ingestion creates the customer, with a timeline item of their own.</summary>
    private void Welcome(Customer customer, ValidEvent e)
    {
        var accruals = _policy.WelcomeAccruals(PurchaseFacts.Event(e.Channel, e.StoreCode, e.OccurredAtUtc, customer.Tier));
        if (accruals.Count == 0) return;
        var (amount, activates) = LoyaltyEffects.Grant(customer, BonusLotKind.Welcome, accruals, 0, nowUtc, this, lot => TrackLot(customer, lot));
        var payload = new EventPayload { Bonus = new BonusPayload(amount, 0, 0, 0, activates), Text = string.Join(", ", accruals.Select(a => a.Rule.Name)) };
        _deferred.Add(new CustomerEvent
        {
            Customer = customer, Channel = Channel.System, Type = EventType.BonusGranted, OccurredAtUtc = e.OccurredAtUtc, ReceivedAtUtc = nowUtc,
            Source = "system", SourceEventId = $"welcome-{source}-{e.EventId}", AmountMinor = amount, Payload = payload,
            Summary = TimelineText.Summary(EventType.BonusGranted, Channel.System, payload, CultureInfo.InvariantCulture),
        });
    }

    private static void ApplyProfile(Customer c, ProfileData p, bool overwrite)
    {
        if (p.IsEmpty) return;
        var first = overwrite ? p.FirstName ?? c.FirstName : c.FirstName ?? p.FirstName;
        var last = overwrite ? p.LastName ?? c.LastName : c.LastName ?? p.LastName;
        if (first != c.FirstName || last != c.LastName || c.SearchName.Length == 0) c.SetName(first, last);
        c.BirthDate = overwrite ? p.BirthDate ?? c.BirthDate : c.BirthDate ?? p.BirthDate;
        c.Gender = overwrite ? p.Gender ?? c.Gender : c.Gender ?? p.Gender;
        c.City = overwrite ? p.City ?? c.City : c.City ?? p.City;
    }

    /// <summary>
    /// One event names identifiers of several customers: they are one person. Writes what the batch has so far,
    /// merges in the database, then reloads the in-memory state that the merge changed.
    /// </summary>
    private async Task<Customer> MergeAsync(List<Customer> candidates, ValidEvent e, CancellationToken ct)
    {
        await SaveAsync(ct);
        var survivorId = CustomerMerger.PickSurvivor(candidates.Select(c => c.Id));
        foreach (var loser in candidates.Where(c => c.Id != survivorId))
        {
            await CustomerMerger.MergeAsync(db, survivorId, loser.Id,
                Audit.AuditText.Format(Audit.AuditText.MergeReason, e.EventId), Audit.AuditActors.ApiKey(source), nowUtc, ct);
            MergedAway.Add(loser.Id);
        }
        await ReloadAfterMergeAsync(survivorId, ct);
        return _customers[survivorId];
    }

    private async Task ReloadAfterMergeAsync(long survivorId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var ids = _customers.Keys.ToList();
        var stale = _customers.Values.ToList();
        _customers.Clear();
        _wallets.Clear();
        _accruedInBatch.Clear(); // saved before the merge: the database has them now
        await LoadCustomersAsync(ids.Where(id => !MergedAway.Contains(id)).Append(survivorId), ct);
        Customer Fresh(Customer old) => _customers.GetValueOrDefault(MergedAway.Contains(old.Id) ? survivorId : old.Id) ?? old;
        foreach (var key in _byIdentifier.Keys.ToList()) _byIdentifier[key] = Fresh(_byIdentifier[key]);
        foreach (var old in stale.Where(Touched.Contains)) { Touched.Remove(old); Touched.Add(Fresh(old)); }
        // Catalogue rows are saved and unchanged: track them again so new orders can point at them.
        db.AttachRange(_stores.Values);
        db.AttachRange(_products.Values);
        foreach (var key in _orders.Keys.ToList()) _orders[key] = null;
        await ReloadOrdersAsync(ct);
        foreach (var key in _promos.Keys.ToList())
            _promos[key] = await db.PromoCodes.Include(p => p.PromoCampaign).SingleOrDefaultAsync(p => p.Code == key, ct);
    }

    private async Task ReloadOrdersAsync(CancellationToken ct)
    {
        var numbers = _orders.Keys.ToList();
        foreach (var chunk in numbers.Chunk(InChunk))
            foreach (var o in await db.Orders.Where(o => o.Source == source && chunk.Contains(o.OrderNumber)).ToListAsync(ct))
                _orders[o.OrderNumber] = o;
    }

    // ---------- effects ----------

    private async Task ApplyPurchaseAsync(ValidEvent e, Customer customer, CustomerEvent ev, CancellationToken ct)
    {
        var o = e.Order!;
        var order = await RecordOrderAsync(e, customer, OrderStatus.Purchased, ct);
        ev.Order = order;
        ev.AmountMinor = o.Total.Minor;

        var facts = await PurchaseFactsAsync(e, customer, ct); // before this purchase changes the customer's figures
        LoyaltyEffects.CountPurchase(customer, o.Paid.Minor, e.OccurredAtUtc);
        _spendChanged.Add(customer);
        if (customer.HomeStoreId is null && order.Store is { } store) customer.HomeStore = store;

        var redeemed = o.BonusRedeemed.Minor > 0
            ? _loyalty.Redeem(customer, order, await WalletAsync(customer, ct), o.BonusRedeemed.Minor, nowUtc, this) : 0;
        var (accrued, activates) = _loyalty.Accrue(customer, order, facts, nowUtc, this, lot => TrackLot(customer, lot));
        if (o.PromoCode is { } code && _promos[code] is { } promo)
        {
            promo.UsedCount++;
            // The customer's concurrency token changes with every use, so a per-customer limit holds against a second writer.
            customer.LoyaltyVersion++;
            if (promo.PromoCampaign is { } campaign)
                _campaignUses[(customer, campaign.Id)] = await CampaignUsesAsync(customer, campaign.Id, ct) + 1;
            _deferred.Add(new PromoCodeRedemption { PromoCode = promo, Customer = customer, Order = order, AtUtc = e.OccurredAtUtc });
            if (promo.PromoCampaign?.BonusPointsMinor is > 0 and var points)
                accrued += LoyaltyEffects.PromoPoints(customer, order, promo, points, e.OccurredAtUtc, nowUtc, this, lot => TrackLot(customer, lot));
        }
        ev.Payload.Order = OrderPayload(o);
        // What the ledger did: a purchase recorded after its points' activation date gets them active at once.
        ev.Payload.Bonus = new BonusPayload(accrued, redeemed, 0, 0, activates, ActiveAtOnce: activates <= nowUtc);
    }

    private async Task ApplyOrderPlacedAsync(ValidEvent e, Customer customer, CustomerEvent ev, CancellationToken ct)
    {
        var o = e.Order!;
        // Placing again an order already placed or bought updates nothing but the timeline.
        var order = _orders.GetValueOrDefault(o.OrderNumber) ?? await RecordOrderAsync(e, customer, OrderStatus.Placed, ct);
        ev.Order = order;
        ev.AmountMinor = o.Total.Minor;
        ev.Payload.Order = OrderPayload(o);
    }

    private async Task ApplyReturnAsync(ValidEvent e, Customer customer, CustomerEvent ev, CancellationToken ct)
    {
        var o = e.Order!;
        var original = (await OriginalPurchaseAsync(o.OrderNumber, [customer], ct))!;
        ev.Order = original;
        ev.AmountMinor = o.Total.Minor;
        var wallet = await WalletAsync(customer, ct);

        var ownLots = wallet.Lots.Where(l => (original.Id > 0 && l.OrderId == original.Id) || ReferenceEquals(l.Order, original)).ToList();
        var allocations = original.Id == 0 || original.BonusRedeemedMinor == 0 ? []
            : await db.RedemptionAllocations.Where(a => a.OrderId == original.Id).ToListAsync(ct);
        allocations.AddRange(_deferred.AllocationsOf(original));
        _spendChanged.Add(customer);
        var (reversed, restored) = LoyaltyEffects.Return(customer, original, o.Total.Minor, wallet, ownLots, allocations, nowUtc, this, lot => TrackLot(customer, lot));
        ev.Payload.Order = OrderPayload(o);
        ev.Payload.Bonus = new BonusPayload(0, 0, reversed, restored, null);
    }

    private async Task<Order> RecordOrderAsync(ValidEvent e, Customer customer, OrderStatus status, CancellationToken ct)
    {
        var o = e.Order!;
        var order = _orders.GetValueOrDefault(o.OrderNumber);
        if (order is null)
        {
            order = new Order { Source = source, OrderNumber = o.OrderNumber };
            _deferred.Add(order);
            _orders[o.OrderNumber] = order;
        }
        order.Customer = customer;
        order.Status = status;
        order.Channel = e.Channel;
        order.OccurredAtUtc = e.OccurredAtUtc;
        order.Currency = o.Currency;
        order.TotalMinor = o.Total.Minor;
        order.BonusRedeemedMinor = o.BonusRedeemed.Minor;
        order.PromoCode = o.PromoCode;
        if (e.StoreCode is not null) order.Store = _stores[e.StoreCode];
        if (o.Lines.Count > 0)
        {
            // The purchase's lines replace those the order was placed with.
            if (order.Id > 0) await db.OrderLines.Where(l => l.OrderId == order.Id).ExecuteDeleteAsync(ct);
            foreach (var l in o.Lines)
                _deferred.Add(new OrderLine
                {
                    Order = order, Sku = l.Sku, Name = l.Name, Category = l.Category, Brand = l.Brand, Quantity = l.Quantity,
                    UnitPriceMinor = l.UnitPriceMinor, Product = _products.GetValueOrDefault(l.Sku),
                });
        }
        return order;
    }

    private static OrderPayload OrderPayload(ValidOrder o) =>
        new(o.OrderNumber, o.Total.Minor, o.BonusRedeemed.Minor, o.PromoCode, o.Lines, o.Currency);

    /// <summary>Writes everything the batch has applied so far (inside the batch's transaction).</summary>
    public Task SaveAsync(CancellationToken ct) => _deferred.FlushAsync(db, ct);

    /// <summary>
    /// After the batch is written and before it commits: the rules' accrued totals, and the tier of every customer whose
    /// 365-day spend changed, from the orders in the database (this batch's included), so the tier always agrees with
    /// what the daily recompute finds.
    /// </summary>
    public async Task RecordLoyaltyTotalsAsync(CancellationToken ct)
    {
        await LoyaltyRules.AddAccruedAsync(db, _accruedByRule, ct);
        if (loyalty.Tiers.Count == 0 || _spendChanged.Count == 0) return;
        var changed = _spendChanged.Where(c => c.Id > 0 && !MergedAway.Contains(c.Id)).ToList();
        var spent = await TierService.SpentAsync(db, changed.Select(c => c.Id).ToList(), nowUtc, ct);
        var any = false;
        foreach (var c in changed)
        {
            var tier = loyalty.TierFor(spent.GetValueOrDefault(c.Id));
            if (tier == c.Tier) continue;
            c.Tier = tier;
            any = true;
        }
        if (any) await db.SaveChangesAsync(ct);
    }

    void ILoyaltyRows.AddLot(BonusLot lot)
    {
        _deferred.Add(lot);
        if (lot.RuleId is { } rule) _accruedByRule[rule] = _accruedByRule.GetValueOrDefault(rule) + lot.AmountMinor;
    }
    void ILoyaltyRows.AddLedger(BonusLedgerEntry entry) => _deferred.Add(entry);
    void ILoyaltyRows.AddAllocation(RedemptionAllocation allocation) => _deferred.Add(allocation);
    void ILoyaltyRows.AddGrant(EarningRuleGrant grant) => db.EarningRuleGrants.Add(grant); // rare: EF writes them

    // Consents are read only for the events that change them; most events do not.
    private async Task LoadConsentsAsync(Customer customer, CancellationToken ct)
    {
        if (customer.Id == 0) return;
        var entry = db.Entry(customer).Collection(c => c.Consents);
        if (!entry.IsLoaded) await entry.LoadAsync(ct);
    }

    private static void SetConsent(Customer customer, Channel channel, bool granted, DateTime atUtc)
    {
        var consent = customer.Consents.FirstOrDefault(c => c.Channel == channel);
        if (consent is null) customer.Consents.Add(new CustomerConsent { Channel = channel, Granted = granted, ChangedAtUtc = atUtc });
        else if (atUtc >= consent.ChangedAtUtc) (consent.Granted, consent.ChangedAtUtc) = (granted, atUtc); // a late, older event does not undo a newer choice
    }

    /// <summary>The customer's lots: loaded only when a check or a return needs the balance, plus the lots accrued in this batch.</summary>
    private async Task<BonusWallet> WalletAsync(Customer customer, CancellationToken ct)
    {
        if (_wallets.TryGetValue(customer, out var wallet)) return wallet;
        var lots = customer.Id == 0 ? [] // created in this batch: nothing saved yet
            : await db.BonusLots.Where(l => l.CustomerId == customer.Id && l.RemainingMinor > 0 && l.ExpiresAtUtc > nowUtc).ToListAsync(ct);
        if (_accruedInBatch.Remove(customer, out var accrued)) lots.AddRange(accrued);
        return _wallets[customer] = new BonusWallet(lots);
    }

    /// <summary>A lot accrued or restored in this batch joins the customer's wallet (or waits for it to be loaded).</summary>
    private void TrackLot(Customer customer, BonusLot lot)
    {
        if (_wallets.TryGetValue(customer, out var wallet)) wallet.Add(lot);
        else if (_accruedInBatch.TryGetValue(customer, out var accrued)) accrued.Add(lot);
        else _accruedInBatch[customer] = [lot];
    }

    private Store StoreFor(string code, string? city)
    {
        if (_stores.TryGetValue(code, out var store)) return store;
        // Unknown stores join the store list from the event, so no till's event is lost.
        store = new Store { Code = code, Name = code, City = city };
        db.Stores.Add(store);
        return _stores[code] = store;
    }

    private void ProductFor(ValidEvent e, string sku)
    {
        if (_products.ContainsKey(sku)) return;
        var line = (e.Order?.Lines ?? []).Concat(e.CartLines ?? []).FirstOrDefault(l => l.Sku == sku);
        var product = e.Product is { } p && p.Sku == sku
            ? new Product { Sku = sku, Name = p.Name, Category = p.Category, Brand = p.Brand, PriceMinor = p.PriceMinor ?? 0 }
            : new Product { Sku = sku, Name = line?.Name ?? sku, Category = line?.Category, Brand = line?.Brand, PriceMinor = line?.UnitPriceMinor ?? 0 };
        db.Products.Add(product);
        _products[sku] = product;
    }
}
