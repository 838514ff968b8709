using System.Globalization;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Orders;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Timeline;

namespace OmniConsole.DemoData;

/// <summary>Everything one generated customer adds to the database, with keys assigned.</summary>
internal sealed class GeneratedCustomer(Customer customer)
{
    public Customer Customer { get; } = customer;
    public List<Order> Orders { get; } = [];
    public List<PromoCode> PromoCodes { get; } = [];
    public List<BonusLot> Lots { get; } = [];
    public List<RedemptionAllocation> Allocations { get; } = [];
    public List<BonusLedgerEntry> Ledger { get; } = [];
    public List<PromoCodeRedemption> PromoRedemptions { get; } = [];
    public List<CustomerEvent> Events { get; } = [];
    public List<CustomerEventFacet> Facets { get; } = [];
    public List<CustomerChannelActivity> ChannelActivity { get; } = [];
    public List<CampaignRecipient> Recipients { get; } = [];
    public List<OutboxMessage> Messages { get; } = [];
}

/// <summary>
/// Replays a planned history in time order and works out its effects the way live ingestion (IngestionRun) does:
/// orders, bonus lots and ledger through the same <see cref="BonusWallet"/> and <see cref="LoyaltyPolicy"/>, promo
/// code use, the customer's purchase figures, timeline events with their payloads, summaries and links. Each event is
/// applied as if ingested when it was received, seconds after it happened. It also writes what OmniConsole's
/// BonusLifecycle job would have written by now: "bonus activated" and "bonus expired" items and expiry ledger entries.
/// </summary>
internal sealed class HistoryRecorder(Random random, DemoCatalog catalog, LoyaltyPolicy policy, IdSequences ids, DateTime nowUtc, bool campaignMessages)
{
    /// <summary>The source BonusLifecycle gives its timeline items.</summary>
    private readonly Random _random = random;
    private readonly DemoCatalog _catalog = catalog;
    private readonly LoyaltyPolicy _policy = policy;
    private readonly IdSequences _ids = ids;
    private readonly DateTime _now = nowUtc;
    private readonly bool _campaignMessages = campaignMessages;

    public GeneratedCustomer Record(CustomerProfile profile, HistoryPlan plan) => new Recording(this, profile).Run(plan);

    private sealed class Recording : ILoyaltyRows
    {
        private readonly HistoryRecorder _r;
        private readonly CustomerProfile _profile;
        private readonly GeneratedCustomer _rows;
        private readonly Customer _customer;
        private readonly BonusWallet _wallet;
        private readonly Queue<BonusLot> _awaitingActivation = new();
        private readonly LoyaltyEffects _loyalty;
        private readonly Dictionary<PlannedOrder, Order> _orders = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<PlannedPromo, PromoCode> _promos = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<PlannedMessage, OutboxMessage> _messages = new(ReferenceEqualityComparer.Instance);

        public Recording(HistoryRecorder recorder, CustomerProfile profile)
        {
            _r = recorder;
            _profile = profile;
            _customer = new Customer
            {
                Id = profile.Id, BirthDate = profile.BirthDate, Gender = profile.Gender, City = profile.City.Name,
                RegisteredAtUtc = profile.RegisteredAt, HomeStoreId = profile.HomeStore?.Id, Tier = LoyaltyTiers.Base,
            };
            _customer.SetName(profile.FirstName, profile.LastName);
            _rows = new GeneratedCustomer(_customer);
            _wallet = new BonusWallet(_rows.Lots);
            _loyalty = new LoyaltyEffects(recorder._policy);
        }

        public GeneratedCustomer Run(HistoryPlan plan)
        {
            foreach (var planned in plan.Chronological())
            {
                var receivedAt = ReceivedAt(planned);
                RunLifecycle(receivedAt);
                var ev = NewEvent(planned, receivedAt);
                switch (planned.Type)
                {
                    case EventType.Purchase: ApplyPurchase(planned, ev, receivedAt); break;
                    case EventType.OrderPlaced: ApplyOrderPlaced(planned, ev); break;
                    case EventType.Return: ApplyReturn(planned, ev, receivedAt); break;
                }
                if (planned.Type == EventType.MessageDelivered && planned.Message?.IssuedPromo is { } promo) Issue(promo);
                if (_r._campaignMessages && planned.Message is { } message) TrackMessage(planned, message);
                Emit(ev);
            }
            RunLifecycle(_r._now);
            Finish();
            return _rows;
        }

        /// <summary>Tills send within minutes, call notes are typed after the call, apps and providers report within seconds.</summary>
        private DateTime ReceivedAt(PlannedEvent e)
        {
            var delaySeconds = e.Channel switch
            {
                Channel.Store => _r._random.Next(5, 300),
                Channel.CallCenter => _r._random.Next(30, 600),
                Channel.Email or Channel.Sms or Channel.Push or Channel.Viber or Channel.Telegram => _r._random.Next(1, 60),
                _ => _r._random.Next(1, 5),
            };
            var received = e.At.AddSeconds(delaySeconds);
            return received < _r._now ? received : _r._now;
        }

        private CustomerEvent NewEvent(PlannedEvent e, DateTime receivedAt) => new()
        {
            CustomerId = _customer.Id,
            Channel = e.Channel,
            Type = e.Type,
            OccurredAtUtc = e.At,
            ReceivedAtUtc = receivedAt,
            Source = DemoShowcase.Source,
            CampaignId = e.Message?.Campaign.Id,
            MessageId = e.Message?.MessageId,
            StoreId = e.Store?.Id,
            ProductSku = e.Product?.Sku,
            Payload = new EventPayload
            {
                Product = e.Product,
                Cart = e.Cart,
                Consents = e.Consents,
                Text = e.Text,
                StoreCode = e.Store?.Code,
                Message = e.Message is { } m ? new MessagePayload(m.Campaign.Id, m.MessageId, m.Campaign.Name) : null,
            },
        };

        /// <summary>Keys are given in the order events are written, so ids follow time within the customer's timeline.</summary>
        private void Emit(CustomerEvent ev)
        {
            ev.Id = _r._ids.NextEvent();
            if (ev.SourceEventId.Length == 0) ev.SourceEventId = $"ev-{ev.Id}";
            ev.Summary = TimelineText.Summary(ev.Type, ev.Channel, ev.Payload, CultureInfo.InvariantCulture);
            _rows.Events.Add(ev);
            // The segment facts live ingestion keeps, through the same code.
            _rows.Facets.AddRange(SegmentFacts.FacetsOf(ev, _customer));
            SegmentFacts.ApplyCart(_customer, ev);
            if (ev.Channel != Channel.System)
            {
                var seen = _rows.ChannelActivity.FirstOrDefault(a => a.Channel == ev.Channel);
                if (seen is null) _rows.ChannelActivity.Add(new CustomerChannelActivity { CustomerId = _customer.Id, Channel = ev.Channel, FirstAtUtc = ev.OccurredAtUtc, LastAtUtc = ev.OccurredAtUtc });
                else seen.Widen(ev.OccurredAtUtc, ev.OccurredAtUtc);
            }
        }

        // ---------- orders and loyalty, as IngestionRun applies them ----------

        private void ApplyPurchase(PlannedEvent e, CustomerEvent ev, DateTime receivedAt)
        {
            var planned = e.Order!;
            var order = RecordOrder(planned, e, OrderStatus.Purchased);
            ev.OrderId = order.Id;
            ev.AmountMinor = order.TotalMinor;

            long redeemed = 0;
            if (planned.RedeemShare > 0)
            {
                var allowed = _r._policy.MaxRedeemable(Facts(e, order, Money.Zero), _wallet.Active(receivedAt));
                redeemed = (long)(allowed.Minor * planned.RedeemShare) / 100 * 100; // whole roubles, as tills offer it
            }
            order.BonusRedeemedMinor = 0;
            if (redeemed > 0) _loyalty.Redeem(_customer, order, _wallet, redeemed, receivedAt, this);
            var paid = order.TotalMinor - redeemed;
            LoyaltyEffects.CountPurchase(_customer, paid, e.At);

            if (planned.Promo is { } promo)
            {
                var code = _promos[promo];
                code.UsedCount++;
                _rows.PromoRedemptions.Add(new PromoCodeRedemption
                {
                    Id = _r._ids.NextPromoRedemption(), PromoCodeId = code.Id, CustomerId = _customer.Id, OrderId = order.Id, AtUtc = e.At,
                });
            }

            var (accrued, activates) = _loyalty.Accrue(_customer, order, Facts(e, order, new Money(redeemed)), receivedAt, this, Track);
            ev.Payload.Order = new OrderPayload(order.OrderNumber, order.TotalMinor, redeemed, order.PromoCode, planned.Lines);
            ev.Payload.Bonus = new BonusPayload(accrued, redeemed, 0, 0, activates);
        }

        // Segment membership cannot be asked of a database still being written: rules with a segment condition do not
        // accrue in generated history (a new database holds only the default rule anyway).
        private PurchaseFacts Facts(PlannedEvent e, Order order, Money redeemed) =>
            new(e.Channel, e.Store?.Code, e.Order!.Lines, new Money(order.TotalMinor), redeemed, e.At, _customer.Tier, new HashSet<int>());

        /// <summary>Placing an order records it; the purchase that completes it (delivery or pickup) updates the same row.</summary>
        private void ApplyOrderPlaced(PlannedEvent e, CustomerEvent ev)
        {
            var planned = e.Order!;
            var order = _orders.GetValueOrDefault(planned) ?? RecordOrder(planned, e, OrderStatus.Placed);
            ev.OrderId = order.Id;
            ev.AmountMinor = planned.TotalMinor;
            ev.Payload.Order = new OrderPayload(planned.Number, planned.TotalMinor, 0, planned.Promo?.Code, planned.Lines);
        }

        private Order RecordOrder(PlannedOrder planned, PlannedEvent e, OrderStatus status)
        {
            if (!_orders.TryGetValue(planned, out var order))
            {
                order = new Order { Id = _r._ids.NextOrder(), CustomerId = _customer.Id, Source = DemoShowcase.Source, OrderNumber = planned.Number };
                _orders[planned] = order;
                _rows.Orders.Add(order);
            }
            order.Status = status;
            order.Channel = e.Channel;
            order.OccurredAtUtc = e.At;
            order.TotalMinor = planned.TotalMinor;
            order.PromoCode = planned.Promo?.Code;
            if (e.Store is not null) order.StoreId = e.Store.Id;
            order.Lines = planned.Lines.Select(l => new OrderLine
            {
                OrderId = order.Id, ProductId = _r._catalog.Product(l.Sku).Id, Sku = l.Sku, Name = l.Name, Category = l.Category,
                Brand = l.Brand, Quantity = l.Quantity, UnitPriceMinor = l.UnitPriceMinor,
            }).ToList();
            return order;
        }

        /// <summary>Reverses the accrual and restores redeemed points in proportion to the refund, exactly as IngestionRun does.</summary>
        private void ApplyReturn(PlannedEvent e, CustomerEvent ev, DateTime receivedAt)
        {
            var planned = e.Return!;
            var original = _orders[planned.Original];
            ev.OrderId = original.Id;
            ev.AmountMinor = planned.RefundMinor;
            var number = original.OrderNumber;

            var ownLots = _rows.Lots.Where(l => l.OrderId == original.Id).ToList();
            var allocations = _rows.Allocations.Where(a => a.OrderId == original.Id).ToList();
            var (reversed, restored) = LoyaltyEffects.Return(_customer, original, planned.RefundMinor, _wallet, ownLots, allocations, receivedAt, this, Track);
            ev.Payload.Order = new OrderPayload(number, planned.RefundMinor, 0, null, planned.Lines);
            ev.Payload.Bonus = new BonusPayload(0, 0, reversed, restored, null);
        }

        /// <summary>
        /// The outbox row a message leaves, with its recipient (one per message: a regular mailing reaches a customer
        /// several times a month), and what the customer did with it, as the dispatcher and tracking record them.
        /// </summary>
        private void TrackMessage(PlannedEvent e, PlannedMessage planned)
        {
            if (e.Type == EventType.MessageDelivered && !_messages.ContainsKey(planned))
            {
                var recipient = new CampaignRecipient
                {
                    Id = _r._ids.NextRecipient(), CampaignId = planned.Campaign.Id, CustomerId = _customer.Id, Occurrence = planned.MessageId,
                    State = RecipientState.Finished, StepIndex = 1, EnteredAtUtc = e.At, LastSentAtUtc = e.At,
                };
                var message = new OutboxMessage
                {
                    Id = _r._ids.NextMessage(), CampaignId = planned.Campaign.Id, RecipientId = recipient.Id, CustomerId = _customer.Id,
                    Channel = e.Channel, Status = MessageStatus.Sent, DueAtUtc = e.At, Attempts = 1, FirstAttemptAtUtc = e.At,
                    SentAtUtc = e.At, DeliveredAtUtc = e.At, PriceMinor = DemoCampaigns.Prices.GetValueOrDefault(e.Channel),
                };
                recipient.LastMessageId = message.Id;
                _messages[planned] = message;
                _rows.Recipients.Add(recipient);
                _rows.Messages.Add(message);
                return;
            }
            if (!_messages.TryGetValue(planned, out var row)) return;
            switch (e.Type)
            {
                case EventType.MessageOpened: row.OpenedAtUtc ??= e.At; break;
                case EventType.MessageClicked: row.ClickedAtUtc ??= e.At; break;
                case EventType.Unsubscribed: row.UnsubscribedAtUtc ??= e.At; break;
            }
        }

        private void Issue(PlannedPromo promo)
        {
            var code = new PromoCode
            {
                Id = _r._ids.NextPromoCode(), Code = promo.Code, Description = promo.Description, DiscountPercent = promo.Percent,
                ValidFromUtc = promo.IssuedAt, ValidUntilUtc = promo.ValidUntil, MaxUses = 1, CustomerId = _customer.Id,
                CampaignId = _r._catalog.CampaignAt(promo.CampaignId, promo.IssuedAt).Id, IssuedAtUtc = promo.IssuedAt, IsActive = true,
            };
            _promos[promo] = code;
            _rows.PromoCodes.Add(code);
        }

        // ---------- where LoyaltyEffects puts its rows: keys assigned here, in the order they are made ----------

        void ILoyaltyRows.AddLot(BonusLot lot)
        {
            lot.Id = _r._ids.NextLot();
            lot.CustomerId = _customer.Id;
        }

        void ILoyaltyRows.AddLedger(BonusLedgerEntry entry)
        {
            entry.Id = _r._ids.NextLedgerEntry();
            (entry.CustomerId, entry.OrderId, entry.LotId) = (_customer.Id, entry.Order?.Id ?? entry.OrderId, entry.Lot?.Id ?? entry.LotId);
            _rows.Ledger.Add(entry);
        }

        void ILoyaltyRows.AddAllocation(RedemptionAllocation allocation)
        {
            allocation.Id = _r._ids.NextAllocation();
            (allocation.OrderId, allocation.LotId) = (allocation.Order!.Id, allocation.Lot!.Id);
            _rows.Allocations.Add(allocation);
        }

        void ILoyaltyRows.AddGrant(EarningRuleGrant grant) =>
            throw new NotSupportedException("Generated history has no welcome or birthday grants: a new database holds no such rules.");

        /// <summary>A new lot joins the wallet (which is the customer's lot list); one still to activate waits for the lifecycle.</summary>
        private void Track(BonusLot lot)
        {
            _wallet.Add(lot);
            if (lot.Kind == BonusLotKind.Accrual && !lot.ActivationRecorded) _awaitingActivation.Enqueue(lot);
        }

        // ---------- what the lifecycle job records ----------

        /// <summary>Activations and expiries due by <paramref name="clock"/>, oldest first.</summary>
        private void RunLifecycle(DateTime clock)
        {
            while (true)
            {
                var activation = _awaitingActivation.TryPeek(out var next) && next.ActivatesAtUtc <= clock ? next : null;
                var expiry = NextExpiry(clock);
                if (activation is null && expiry is null) return;
                if (activation is not null && (expiry is null || activation.ActivatesAtUtc <= expiry.ExpiresAtUtc))
                {
                    _awaitingActivation.Dequeue();
                    if (BonusLifecycle.Activate(activation, activation.ActivatesAtUtc) is { } item) Emit(item);
                }
                else
                {
                    Expire(expiry!);
                }
            }
        }

        private BonusLot? NextExpiry(DateTime clock)
        {
            BonusLot? first = null;
            foreach (var lot in _rows.Lots)
                if (lot.RemainingMinor > 0 && lot.ExpiresAtUtc <= clock && (first is null || lot.ExpiresAtUtc < first.ExpiresAtUtc))
                    first = lot;
            return first;
        }

        /// <summary>What the lifecycle job would have recorded when the lot expired (<see cref="BonusLifecycle.Expire"/>).</summary>
        private void Expire(BonusLot lot)
        {
            if (BonusLifecycle.Expire(lot, lot.Order?.Channel, lot.ExpiresAtUtc) is not var (entry, item)) return;
            _customer.LoyaltyVersion++;
            ((ILoyaltyRows)this).AddLedger(entry);
            Emit(item);
        }

        // ---------- the customer row ----------

        private void Finish()
        {
            var p = _profile;
            var registered = p.RegisteredAt;
            AddIdentifier(IdentifierKind.Phone, "", p.Phone, registered);
            if (p.Email is { } email) AddIdentifier(IdentifierKind.Email, "", email, registered);
            if (p.CardNumber is { } card) AddIdentifier(IdentifierKind.Card, "", card, registered);
            if (p.ExternalId is { } external) AddIdentifier(IdentifierKind.External, CustomerProfile.ExternalIdSource, external, registered);
            _customer.Consents = p.Consents.Select(kv => new CustomerConsent
            {
                CustomerId = _customer.Id, Channel = kv.Key, Granted = kv.Value.Final, ChangedAtUtc = kv.Value.LastChangedAt,
            }).ToList();

            foreach (var lot in _rows.Lots)
            {
                lot.ActivationRecorded |= lot.ActivatesAtUtc <= _r._now;
                lot.ExpiryRecorded = lot.ExpiresAtUtc <= _r._now;
            }
            foreach (var line in _rows.Orders.SelectMany(o => o.Lines)) line.Id = _r._ids.NextOrderLine();
        }

        private void AddIdentifier(IdentifierKind kind, string source, string value, DateTime at) =>
            _customer.Identifiers.Add(new CustomerIdentifier { Id = _r._ids.NextIdentifier(), CustomerId = _customer.Id, Kind = kind, Source = source, Value = value, AddedAtUtc = at });
    }
}
