using OmniConsole.Core.Common;
namespace OmniConsole.Core.Segments;

/// <summary>
/// What <see cref="SegmentDefinition"/>, <see cref="SegmentCompiler"/> and <see cref="SegmentService"/> answer when they
/// refuse a segment: the templates of the API's English messages, which the builder shows in its reader's language (see
/// <see cref="Common.ServiceMessages"/>).
/// </summary>
[MessageTemplates]
public static class SegmentMessages
{
    /// <summary>{0}: the JSON parser's own (English) message.</summary>
    public const string NotJson = "Not valid JSON: {0}";
    public const string TooManyNodes = "A definition may hold at most {0} groups and conditions.";
    public const string TooDeep = "Groups nest at most {0} levels deep.";
    /// <summary>{0} and {1}: the shapes of a group and of a condition in JSON.</summary>
    public const string NotANode = "Expected a group ({0}) or a condition ({1}).";
    /// <summary>{0}: all or any.</summary>
    public const string GroupHoldsList = "A \"{0:group-}\" group holds nothing but its list.";
    public const string ExpectedList = "Expected a list of groups and conditions.";
    public const string EmptyGroup = "An empty \"{0:group-}\" group is not allowed: add at least one condition.";
    public const string NotHoldsNode = "A \"not\" group holds nothing but its node.";
    public const string NeedsAttr = "Every condition needs \"attr\" (or use a group: all, any, not).";
    public const string UnknownAttrKnown = "Unknown attribute \"{0}\". Known: {1}.";
    public const string UnknownAttr = "Unknown attribute \"{0}\".";
    public const string NoQualifiers = "\"{0}\" takes no qualifiers; \"{1}\" is not one.";
    public const string NotAQualifier = "\"{0}\" is not a qualifier of \"{1}\" (it takes {2}).";
    public const string NeedsQualifier = "\"{0}\" needs the qualifier \"{1}\".";
    public const string NeedsOp = "Every condition needs \"op\" ({0}).";
    public const string NotAnOp = "\"{0}\" is not an operator of \"{1}\" (it takes {2}).";
    public const string NeedsValue = "Every condition needs \"value\".";
    public const string WithinDays = "withinDays is a whole number of days from 1 to 36500.";
    public const string UnknownChannel = "Unknown channel. Known: {0}.";
    public const string UnknownEventType = "Unknown event type. Known: {0}.";
    /// <summary>{0}: the qualifier (storeCode, category, brand, campaignId).</summary>
    public const string QualifierText = "{0:qualifier-} is a text of 1 to 200 characters.";
    public const string InList = "\"in\" takes a non-empty list of texts.";
    public const string SegmentIdValue = "inSegment takes a segment id (a whole number).";
    public const string BetweenPair = "\"between\" takes a list of two numbers: [low, high].";
    public const string BetweenOrder = "\"between\" needs low ≤ high.";
    public const string ExpectedText = "Expected a text of 1 to 200 characters.";
    public const string ExpectedOneOf = "Expected one of: {0}.";
    public const string NotOneOf = "\"{0}\" is not one of: {1}.";
    public const string ExpectedNumber = "Expected a number.";
    public const string ExpectedWholeNumber = "Expected a whole number.";
    public const string ExpectedAmount = "Expected an amount with at most 2 decimals.";

    public const string Cycle = "Segment {0} refers back to itself through inSegment: a cycle is not allowed.";
    /// <summary>Also where a campaign or an earning rule names a segment.</summary>
    public const string NoSegment = "There is no segment {0} (or it is archived).";
    public const string NoLongerValid = "Segment {0} has a definition that is no longer valid.";

    public const string NeedsName = "A segment needs a name of 1 to 200 characters.";
    public const string DescriptionTooLong = "The description is at most 2000 characters.";
    public const string ChangedMeanwhile = "Segment #{0} was changed by someone else just now; nothing was saved. Open it again and repeat the change.";
    /// <summary>{1}: the segments ("#3 'Lapsed'").</summary>
    public const string UsedBySegment = "Segment #{0} is used by segment {1}; change it first.";
    public const string UsedBySegments = "Segment #{0} is used by segments {1}; change them first.";
    /// <summary>{1}: the rules ("#3 'Double points'").</summary>
    public const string UsedByRule = "Segment #{0} is a condition of earning rule {1}; end or change it first.";
    public const string UsedByRules = "Segment #{0} is a condition of earning rules {1}; end or change them first.";
    public const string SurveyScaleQualifier = "'scale' is nps or csat.";
}
