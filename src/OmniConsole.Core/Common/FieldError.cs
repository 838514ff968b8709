namespace OmniConsole.Core.Common;

/// <summary>What is wrong with one field of a request: the field's path (<c>steps[0].text</c>) and a message a person can read.</summary>
public sealed record FieldError(string Field, string Message);
