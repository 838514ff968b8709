using OmniConsole.Core.Catalog;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;

namespace OmniConsole.Core.Orders;

public enum OrderStatus { Placed, Purchased }

/// <summary>
/// An order as a channel reported it. <c>order_placed</c> creates it as Placed; <c>purchase</c> records it as Purchased
/// (an online order picked up in a store becomes Purchased). Order numbers are unique per source (API key).
/// </summary>
public class Order
{
    public long Id { get; set; }
    public long CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public string Source { get; set; } = "";
    public string OrderNumber { get; set; } = "";
    public OrderStatus Status { get; set; }
    public Channel Channel { get; set; }
    public int? StoreId { get; set; }
    public Store? Store { get; set; }
    public DateTime OccurredAtUtc { get; set; }
    public string Currency { get; set; } = "RUB";
    public long TotalMinor { get; set; }
    public long BonusRedeemedMinor { get; set; }
    /// <summary>Paid with money: total less bonus points. Accruals and lifetime value are based on it.</summary>
    public long PaidMinor => TotalMinor - BonusRedeemedMinor;
    /// <summary>Sum of all returns against this order so far.</summary>
    public long RefundedMinor { get; set; }
    public string? PromoCode { get; set; }

    // Loyalty bookkeeping, so partial returns reverse exactly their share (rounding never drifts).
    public long AccruedMinor { get; set; }
    public long AccrualReversedMinor { get; set; }
    public long RedeemRestoredMinor { get; set; }
    /// <summary>The paid part of all refunds so far: what returns took off the customer's lifetime value.</summary>
    public long RefundedPaidMinor { get; set; }

    public List<OrderLine> Lines { get; set; } = [];
}

public class OrderLine
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public Order? Order { get; set; }
    public int? ProductId { get; set; }
    public Product? Product { get; set; }
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Category { get; set; }
    public string? Brand { get; set; }
    public int Quantity { get; set; }
    public long UnitPriceMinor { get; set; }
}
