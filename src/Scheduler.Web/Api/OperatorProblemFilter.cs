using Microsoft.AspNetCore.Http;
using Scheduler.Core.Operations;

namespace Scheduler.Web.Api;

/// <summary>Answers a refused request as problem details: Invalid → 400, NotFound → 404, Conflict → 409.</summary>
public sealed class OperatorProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OperatorException e)
        {
            return Problem(e);
        }
    }

    public static IResult Problem(OperatorException e) => e.Kind switch
    {
        OperatorErrorKind.NotFound => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        OperatorErrorKind.Conflict => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        _ => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request"),
    };
}
