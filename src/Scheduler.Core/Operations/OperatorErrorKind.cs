namespace Scheduler.Core.Operations;

/// <summary>Why an operator request was refused; the HTTP layer maps these to 400, 404 and 409.</summary>
public enum OperatorErrorKind
{
    Invalid,
    NotFound,
    Conflict,
}
