using System.Reflection;
using System.Text.Json;
using Lmis.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace Lmis.AppHost;

/// <summary>The operator's actions in the dashboard's resource menus (also callable from tests and the Aspire CLI).</summary>
public static class StackCommands
{
    public const string RebuildVacancyFigures = "rebuild-vacancy-figures";
    public const string SecretariatKeyLocation = "secretariat-key-location";

    /// <summary>
    /// "Rebuild vacancy figures" on statistics: the secretariat's POST /api/v1/statistics/vacancy-figures:rebuild,
    /// sent through the gateway with the secretariat's key, as an operator would (so it is audited like any call).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRebuildVacancyFiguresCommand(
        this IResourceBuilder<ProjectResource> statistics, IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ParameterResource> secretariatKey) =>
        statistics.WithHttpCommand(
            "/api/v1/statistics/vacancy-figures:rebuild",
            "Rebuild vacancy figures",
            endpointSelector: () => gateway.GetEndpoint("http"),
            commandName: RebuildVacancyFigures,
            commandOptions: new HttpCommandOptions
            {
                Description = "Forgets the vacancy figures and derives them again from every vacancy the vacancies service holds.",
                ConfirmationMessage = "Rebuild the vacancy figures from the vacancies service's change feed? Queries see partial figures until it ends.",
                IconName = "ArrowSync",
                PrepareRequest = async context =>
                    context.Request.Headers.Add("X-Api-Key", await secretariatKey.Resource.GetValueAsync(context.CancellationToken)),
                GetCommandResult = async context =>
                {
                    var body = await context.Response.Content.ReadAsStringAsync(context.CancellationToken);
                    if (!context.Response.IsSuccessStatusCode)
                    {
                        return CommandResults.Failure($"The gateway answered {(int)context.Response.StatusCode}: {body}");
                    }

                    // JSON transcoding writes int64 as a string.
                    var vacancies = JsonDocument.Parse(body).RootElement.GetProperty("vacancies");
                    var read = vacancies.ValueKind == JsonValueKind.String ? vacancies.GetString() : vacancies.GetRawText();
                    return CommandResults.Success($"Vacancy figures rebuilt from {read} vacancies.");
                },
            });

    /// <summary>
    /// "Where is the secretariat's first key?" on the gateway: where the AppHost took the secret from (user secrets,
    /// command line, environment), how to read it, and where the gateway keeps the API keys. Never the secret itself.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSecretariatKeyLocationCommand(
        this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ParameterResource> secretariatKey, IStackInfrastructure infrastructure)
    {
        var configuration = (IConfigurationRoot)gateway.ApplicationBuilder.Configuration;
        var name = secretariatKey.Resource.Name;
        return gateway.WithCommand(SecretariatKeyLocation, "Show where the secretariat's first key is", _ =>
            {
                var source = KeySource(configuration, name);
                var keys = infrastructure is LocalInfrastructure local
                    ? $"the SQLite files under {local.DataDirectory} (hashes only)"
                    : "MongoDB's accessdb database (hashes only)";
                var details = $"""
                    The secretariat's first API key is the AppHost parameter `{name}`, from {source}.

                    - See it: the dashboard's **Parameters** resource `{name}` (show the value), or `dotnet user-secrets list --project apphost/Lmis.AppHost`.
                    - Use it: header `X-Api-Key` on the gateway, to issue the ministries' keys (`POST /api/v1/access/keys`), then rotate it.
                    - The gateway registers it at every start and keeps the API keys in {keys}.
                    """;
                return Task.FromResult(CommandResults.Success($"Parameter {name}, from {source}", details, CommandResultFormat.Markdown, displayImmediately: true));
            },
            new CommandOptions
            {
                Description = "Where the AppHost takes the secretariat's first API key from, and how to read it.",
                IconName = "Key",
                // Information only: available whatever state the gateway is in.
                UpdateState = _ => ResourceCommandState.Enabled,
            });
    }

    /// <summary>The configuration source that wins for Parameters:&lt;name&gt; (the last one that has it).</summary>
    private static string KeySource(IConfigurationRoot configuration, string name)
    {
        var key = $"Parameters:{name}";
        var provider = configuration.Providers.LastOrDefault(p => p.TryGet(key, out _));
        return provider switch
        {
            CommandLineConfigurationProvider => $"the AppHost's command line (--{key})",
            EnvironmentVariablesConfigurationProvider => $"the environment variable Parameters__{name}",
            JsonConfigurationProvider { Source.Path: "secrets.json" } => $"the AppHost's user secrets ({UserSecretsFile()})",
            JsonConfigurationProvider json => $"the file {json.Source.Path}",
            // Generated on the first run and saved with the user secrets (persist: true).
            _ => $"the AppHost's user secrets ({UserSecretsFile()})",
        };
    }

    private static string UserSecretsFile() =>
        Assembly.GetEntryAssembly()?.GetCustomAttribute<UserSecretsIdAttribute>() is { } id
            ? PathHelper.GetSecretsPathFromSecretsId(id.UserSecretsId)
            : "no user secrets id";
}
