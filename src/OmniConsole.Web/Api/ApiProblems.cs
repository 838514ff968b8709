namespace OmniConsole.Web.Api;

/// <summary>RFC 7807 answers with a readable detail and, for validation, a field → messages map.</summary>
internal static class ApiProblems
{
    public static IResult Validation(string detail, string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: detail, title: "The request is not valid.");

    public static IResult Validation(string detail, Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: detail, title: "The request is not valid.");

    public static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    public static IResult TooLarge(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large", detail: detail);

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
