using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Core.Operations;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary>The operator actions are listed once (<see cref="OperatorActionCatalog"/>); the API, the dashboard and the CLI are built from that list.</summary>
public sealed class ActionCatalogTests(WebNodeFixture fixture) : IClassFixture<WebNodeFixture>
{
    [Fact]
    public void The_catalogue_keeps_the_action_names_the_audit_has_always_recorded()
    {
        Assert.Equal(
            ["trigger", "pause-job", "resume-job", "pause-trigger", "resume-trigger", "reset-trigger", "pause-group", "resume-group",
             "pause-all", "resume-all", "interrupt", "replay", "replay-dead-letters"],
            OperatorActionCatalog.All.Select(a => a.Name));
        Assert.Equal(Enum.GetValues<OperatorActionKind>(), OperatorActionCatalog.All.Select(a => a.Kind));
    }

    [Fact]
    public void Every_api_action_endpoint_is_one_catalogue_entry_at_its_route_requiring_its_role()
    {
        var posts = fixture.Node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)
                && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .ToList();

        Assert.Equal(
            OperatorActionCatalog.All.Select(a => "/api" + a.Route).Order(StringComparer.Ordinal),
            posts.Select(e => e.RoutePattern.RawText!).Order(StringComparer.Ordinal));
        foreach (var endpoint in posts)
        {
            var action = endpoint.Metadata.GetMetadata<OperatorAction>();
            Assert.NotNull(action);
            Assert.Equal("/api" + action.Route, endpoint.RoutePattern.RawText);
            Assert.Contains(action.Role, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy));
        }
    }

    [Fact]
    public void Every_dashboard_action_form_is_one_catalogue_entry_at_its_route_requiring_its_role()
    {
        var forms = fixture.Node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<OperatorAction>() is not null && !e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(
            OperatorActionCatalog.All.Select(a => a.Route).Order(StringComparer.Ordinal),
            forms.Select(e => e.RoutePattern.RawText!).Order(StringComparer.Ordinal));
        foreach (var endpoint in forms)
        {
            var action = endpoint.Metadata.GetMetadata<OperatorAction>()!;
            Assert.Equal(action.Route, endpoint.RoutePattern.RawText);
            Assert.Contains("POST", endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods);
            Assert.Contains(action.Role, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy));
        }
    }

    [Fact]
    public async Task A_viewer_is_refused_every_catalogue_action_and_the_refusal_changes_nothing()
    {
        using var viewer = fixture.Node.Client(WebNode.ViewerKey);
        using var anonymous = fixture.Node.Client();

        foreach (var action in OperatorActionCatalog.All)
        {
            var path = new Uri("/api" + string.Join('/', action.Route.Split('/').Select(s => s.StartsWith('{') ? "web" : s)), UriKind.Relative);
            Assert.Equal((HttpStatusCode.Forbidden, action.Name), ((await viewer.PostAsync(path, null)).StatusCode, action.Name));
            Assert.Equal((HttpStatusCode.Unauthorized, action.Name), ((await anonymous.PostAsync(path, null)).StatusCode, action.Name));
        }

        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM qrtz_paused_trigger_grps"));
    }

    [Fact]
    public void Parsing_names_the_value_that_breaks_a_rule_whatever_surface_sent_it()
    {
        var values = new Dictionary<string, string?> { ["group"] = "web", ["name"] = "idle\u202e", ["reason"] = "why" };

        var error = Assert.Throws<OperatorException>(() => ActionArguments.Parse(OperatorActionCatalog.PauseJob, k => values.GetValueOrDefault(k)));
        var missing = Assert.Throws<OperatorException>(() => ActionArguments.Parse(OperatorActionCatalog.Replay, k => k switch
        {
            "jobGroup" or "triggerGroup" => "web",
            "jobName" or "triggerName" => "idle",
            _ => null,
        }));
        var parsed = ActionArguments.Parse(OperatorActionCatalog.PauseGroup, k => values.GetValueOrDefault(k));

        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
        Assert.Contains("U+202E", error.Message, StringComparison.Ordinal);
        Assert.Contains("'scheduledFireTime' is required", missing.Message, StringComparison.Ordinal);
        Assert.Equal(("web", "why"), (parsed.Group, parsed.Reason));
    }

    [Fact]
    public async Task The_cli_offers_a_verb_for_every_catalogue_action_that_names_one()
    {
        var help = await SchedulerProcess.RunAsync(["--help"], new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));

        Assert.Equal(0, help.ExitCode);
        foreach (var verb in OperatorActionCatalog.All.Select(a => a.CliVerb).OfType<string>().Distinct())
        {
            Assert.Matches($@"(?m)^\s+{verb}\b", help.StandardOutput);
        }
    }
}
