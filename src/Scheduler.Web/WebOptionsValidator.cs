using System.Net;
using Microsoft.Extensions.Options;

namespace Scheduler.Web;

/// <summary>Checks <see cref="WebOptions"/> at start, naming the key and the bad value.</summary>
public sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var problems = new List<string>();
        const string S = WebOptions.SectionName;
        if (options.MaxConcurrentRequests is < 1 or > 1000)
        {
            problems.Add($"{S}:MaxConcurrentRequests is {options.MaxConcurrentRequests}; use 1 to 1000.");
        }

        if (options.RequestQueueLimit is < 0 or > 10_000)
        {
            problems.Add($"{S}:RequestQueueLimit is {options.RequestQueueLimit}; use 0 to 10000.");
        }

        if (options.SignInAttemptsPerMinute is < 1 or > 10_000)
        {
            problems.Add($"{S}:SignInAttemptsPerMinute is {options.SignInAttemptsPerMinute}; use 1 to 10000.");
        }

        if (options.RefusalAuditWindow < TimeSpan.FromSeconds(1) || options.RefusalAuditWindow > TimeSpan.FromHours(1))
        {
            problems.Add($"{S}:RefusalAuditWindow is {options.RefusalAuditWindow}; use 00:00:01 to 01:00:00.");
        }

        problems.AddRange(options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"{S}:KnownProxies has '{p}', which is not an IP address."));
        problems.AddRange(options.KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _))
            .Select(n => $"{S}:KnownNetworks has '{n}', which is not a network such as 10.0.0.0/8."));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
