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

    /// <summary>
    /// Turns "database is locked" (or down, or restarting) into a 503 with Retry-After instead of a 500: the request's transaction was rolled back,
    /// and sending the same batch again is safe (event ids make it idempotent).
    /// </summary>
    public static async ValueTask<object?> BusyAsServiceUnavailable(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (IsBusy(context.HttpContext, ex))
        {
            context.HttpContext.Response.Headers.RetryAfter = "1";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy, try again",
                detail: "The database is busy or unavailable. Nothing of this request was stored; send it again in a moment.");
        }
        catch (Exception ex) when (ex is Core.Data.WriteQueueFullException or Core.Data.WriteConflictException)
        {
            context.HttpContext.Response.Headers.RetryAfter = "1";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy, try again", detail: ex.Message + " Send it again in a moment.");
        }
    }

    /// <summary>Locked, down or restarting, as the database's family tells (a conflict that outlived its retries is busy too).</summary>
    private static bool IsBusy(HttpContext http, Exception ex) => http.RequestServices.GetRequiredService<Core.Data.DatabaseFamily>().IsTryAgain(ex);
}
