using System.Linq.Expressions;

namespace OmniConsole.Core.Segments;

/// <summary>
/// A numeric condition reduced to whole units: the value lies in [Min, Max] (either open), or, for <c>neq</c>, outside it.
/// Every numeric attribute is a whole number in its unit (counts, kopecks, full days, full hours, full years), so
/// <c>gt 2.5</c> is <c>≥ 3</c> and <c>eq 2.5</c> is never true.
/// </summary>
public readonly record struct Bounds(long? Min, long? Max, bool Negated, bool Empty)
{
    public static Bounds From(string op, decimal? value, decimal? low = null, decimal? high = null) => op switch
    {
        "eq" => value == decimal.Truncate(value!.Value) ? new((long)value.Value, (long)value.Value, false, false) : new(null, null, false, true),
        "neq" => value == decimal.Truncate(value!.Value) ? new((long)value.Value, (long)value.Value, true, false) : new(null, null, true, true),
        "gt" => new((long)decimal.Floor(value!.Value) + 1, null, false, false),
        "gte" => new((long)decimal.Ceiling(value!.Value), null, false, false),
        "lt" => new(null, (long)decimal.Ceiling(value!.Value) - 1, false, false),
        "lte" => new(null, (long)decimal.Floor(value!.Value), false, false),
        "between" => new((long)decimal.Ceiling(low!.Value), (long)decimal.Floor(high!.Value), false, false),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a numeric operator."),
    };

    /// <summary>For a count (never negative): the condition says "at least one" (≥ 1, &gt; 0, ≠ 0).</summary>
    public bool AtLeastOne => !Empty && (Negated ? Max == 0 && (Min ?? 0) <= 0 : Min == 1 && Max is null);

    /// <summary>For a count (never negative): the condition says "none" (= 0, &lt; 1, ≤ 0).</summary>
    public bool None => !Empty && (Negated ? Min == 1 && Max is null : Max == 0 && (Min ?? 0) <= 0);

    public bool Holds(long x) => (Empty ? false : (Min is null || x >= Min) && (Max is null || x <= Max)) != Negated;

    /// <summary>The condition as an expression over a whole-number value (int or long).</summary>
    public Expression Apply(Expression value)
    {
        if (value.Type != typeof(long)) value = Expression.Convert(value, typeof(long));
        Expression inRange = Empty ? Expression.Constant(false) : Expression.Constant(true);
        if (!Empty && Min is { } min) inRange = Expression.AndAlso(inRange, Expression.GreaterThanOrEqual(value, Expression.Constant(min)));
        if (!Empty && Max is { } max) inRange = Expression.AndAlso(inRange, Expression.LessThanOrEqual(value, Expression.Constant(max)));
        return Negated ? Expression.Not(inRange) : inRange;
    }

    /// <summary>
    /// For "whole units since t" (days ago, hours ago): the same condition on the time t itself, given now and the unit,
    /// so the database compares a column rather than computing an age per row. <paramref name="time"/> is a DateTime? column.
    /// </summary>
    public Expression ApplyToElapsed(Expression time, DateTime nowUtc, TimeSpan unit)
    {
        var present = Expression.NotEqual(time, Expression.Constant(null, typeof(DateTime?)));
        Expression inRange = Expression.Constant(!Empty);
        // floor((now - t) / unit) >= Min  <=>  t <= now - Min*unit;   floor(...) <= Max  <=>  t > now - (Max+1)*unit
        if (!Empty && Min is { } min)
            inRange = Expression.AndAlso(inRange, Expression.LessThanOrEqual(time, Expression.Constant(Shift(nowUtc, unit, min), typeof(DateTime?))));
        if (!Empty && Max is { } max)
            inRange = Expression.AndAlso(inRange, Expression.GreaterThan(time, Expression.Constant(Shift(nowUtc, unit, max + 1), typeof(DateTime?))));
        return Expression.AndAlso(present, Negated ? Expression.Not(inRange) : inRange);
    }

    private static DateTime? Shift(DateTime now, TimeSpan unit, long units)
    {
        var ticks = (decimal)unit.Ticks * units;
        var target = now.Ticks - ticks;
        return target <= DateTime.MinValue.Ticks ? DateTime.MinValue : target >= DateTime.MaxValue.Ticks ? DateTime.MaxValue
            : new DateTime((long)target, DateTimeKind.Utc);
    }
}
