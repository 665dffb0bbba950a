namespace Scheduler.Core.Operations;

/// <summary>An operator request refused with a reason the caller can act on (bad input, unknown key, wrong state).</summary>
public sealed class OperatorException : Exception
{
    public OperatorException(OperatorErrorKind kind, string message)
        : base(message) => Kind = kind;

    public OperatorException()
    {
    }

    public OperatorException(string message)
        : base(message)
    {
    }

    public OperatorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OperatorErrorKind Kind { get; }

    public static OperatorException NotFound(string message) => new(OperatorErrorKind.NotFound, message);

    public static OperatorException Conflict(string message) => new(OperatorErrorKind.Conflict, message);

    public static OperatorException Invalid(string message) => new(OperatorErrorKind.Invalid, message);
}
