namespace Scheduler.Data.Ledger;

/// <summary>This node's claim on an occurrence is no longer current: another node took it over, or it completed elsewhere.</summary>
public sealed class OccurrenceLostException : Exception
{
    public OccurrenceLostException(string message)
        : base(message)
    {
    }

    public OccurrenceLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OccurrenceLostException()
    {
    }
}
