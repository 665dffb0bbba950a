using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace Scheduler.Core.Schedules;

/// <summary>
/// The job types configuration may name in <c>Type</c>: built-in kinds by their short name, and every
/// concrete <c>IJob</c> of the registered assemblies by class name or full name. Case-insensitive.
/// </summary>
public sealed class JobKindRegistry
{
    private readonly Dictionary<string, JobKind> kinds = new(StringComparer.OrdinalIgnoreCase);

    private readonly List<Action<IServiceCollection>> services = [];

    /// <summary>The kinds and classes known, each once, for messages and docs.</summary>
    public IEnumerable<string> KnownNames => kinds.Values.Distinct().Select(k => k.Name).Order(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a kind under its name, its class name and its full class name.</summary>
    /// <exception cref="InvalidOperationException">The name is taken by another type.</exception>
    public JobKindRegistry Add(JobKind kind)
    {
        foreach (var alias in new[] { kind.Name, kind.JobType.Name, kind.JobType.FullName! })
        {
            if (kinds.TryGetValue(alias, out var existing) && existing.JobType != kind.JobType)
            {
                throw new InvalidOperationException($"Job type name '{alias}' means both {existing.JobType} and {kind.JobType}.");
            }

            kinds[alias] = kind;
        }

        return this;
    }

    /// <summary>Adds every public concrete <c>IJob</c> of <paramref name="assembly"/> not already added, by its class name.</summary>
    public JobKindRegistry AddJobsOf(Assembly assembly)
    {
        foreach (var type in assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IJob).IsAssignableFrom(t)))
        {
            if (!kinds.ContainsKey(type.FullName!))
            {
                Add(new JobKind(type.Name, type));
            }
        }

        return this;
    }

    /// <summary>
    /// Adds what the jobs of these kinds resolve from dependency injection (an HTTP client, a store), so that every host that
    /// can run them registers the same services: <see cref="RegisterServices"/> applies them.
    /// </summary>
    public JobKindRegistry WithServices(Action<IServiceCollection> register)
    {
        services.Add(register);
        return this;
    }

    /// <summary>Registers the job classes and the services added with <see cref="WithServices"/>.</summary>
    public void RegisterServices(IServiceCollection collection)
    {
        foreach (var type in JobTypes)
        {
            collection.TryAddTransient(type);
        }

        foreach (var register in services)
        {
            register(collection);
        }
    }

    /// <summary>Finds the kind <paramref name="name"/> names, or null.</summary>
    public JobKind? Find(string? name) => name is not null && kinds.TryGetValue(name.Trim(), out var kind) ? kind : null;

    /// <summary>The kind whose job class is <paramref name="jobType"/>, or null for a class no kind names.</summary>
    public JobKind? Find(Type jobType) => kinds.Values.FirstOrDefault(k => k.JobType == jobType);

    /// <summary>Every distinct job class, so the host can register them for dependency injection.</summary>
    public IEnumerable<Type> JobTypes => kinds.Values.Select(k => k.JobType).Distinct();
}
