using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Scheduler.Data;

namespace Scheduler.Tests.Data;

/// <summary>Statement reuse is on unless the operator's connection string says otherwise, for the node's one data source too.</summary>
public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void A_connection_string_without_the_keys_gets_statement_reuse()
    {
        var applied = ConnectionDefaults.Apply(new NpgsqlConnectionStringBuilder("Host=db;Database=scheduler"));

        Assert.True(applied.NoResetOnClose);
        Assert.Equal(32, applied.MaxAutoPrepare);
        Assert.Equal("db", applied.Host);
    }

    [Fact]
    public void Keys_the_operator_set_are_kept_even_when_they_turn_reuse_off()
    {
        var applied = ConnectionDefaults.Apply(new NpgsqlConnectionStringBuilder("Host=db;No Reset On Close=false;Max Auto Prepare=0"));

        Assert.False(applied.NoResetOnClose);
        Assert.Equal(0, applied.MaxAutoPrepare);
    }

    [Fact]
    public async Task The_nodes_data_source_carries_the_defaults_and_the_idle_in_transaction_bound()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Scheduler"] = "Host=db.example;Database=scheduler;Max Auto Prepare=8",
        });
        builder.AddSchedulerData();
        await using var services = builder.Services.BuildServiceProvider();

        var used = new NpgsqlConnectionStringBuilder(services.GetRequiredService<NpgsqlDataSource>().ConnectionString);

        Assert.True(used.NoResetOnClose);
        Assert.Equal(8, used.MaxAutoPrepare);
        Assert.Contains("idle_in_transaction_session_timeout=10000", used.Options, StringComparison.Ordinal);
    }
}
