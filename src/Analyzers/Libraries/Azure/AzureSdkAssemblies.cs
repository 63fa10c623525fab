using System;

namespace ResilienceAnalyzers.Libraries.Azure;

/// <summary>
/// Which assemblies that declare <c>Microsoft.Azure.*</c> namespaces are Azure service clients. The namespace alone does
/// not say it: Microsoft writes its hosts and frameworks there too (the WebJobs SDK and the Functions host,
/// <c>Microsoft.Azure.WebJobs.*</c>; the Functions worker, <c>Microsoft.Azure.Functions.*</c>), and a repository's own
/// projects that are no client share the namespace of the product (azure-signalr's <c>Microsoft.Azure.SignalR.AspNet</c>
/// reading the types of its sibling <c>Microsoft.Azure.SignalR.Common</c>). What identifies a client is its assembly: the
/// NuGet packages below, whose assembly names start with the listed names (the package and assembly names of nuget.org's
/// <c>Microsoft.Azure.*</c> client libraries, read 2026-11: <c>Microsoft.Azure.Cosmos</c> ships
/// <c>Microsoft.Azure.Cosmos.Client.dll</c>, <c>Microsoft.Azure.DocumentDB.Core</c> ships the <c>Microsoft.Azure.Documents</c>
/// namespace). The <c>Azure.*</c> SDK (namespace <c>Azure</c>) is not concerned: its namespace and assembly names agree.
/// </summary>
internal static class AzureSdkAssemblies
{
    private static readonly string[] ClientAssemblies =
    {
        "Microsoft.Azure.Cosmos",
        "Microsoft.Azure.DocumentDB",
        "Microsoft.Azure.Documents",
        "Microsoft.Azure.Storage",
        "Microsoft.Azure.ServiceBus",
        "Microsoft.Azure.EventHubs",
        "Microsoft.Azure.EventGrid",
        "Microsoft.Azure.Relay",
        "Microsoft.Azure.NotificationHubs",
        "Microsoft.Azure.Amqp",
        "Microsoft.Azure.KeyVault",
        "Microsoft.Azure.Services.AppAuthentication",
        "Microsoft.Azure.Devices",
        "Microsoft.Azure.DigitalTwins",
        "Microsoft.Azure.Batch",
        "Microsoft.Azure.Management",
        "Microsoft.Azure.Search",
        "Microsoft.Azure.CognitiveServices",
        "Microsoft.Azure.SignalR",
        "Microsoft.Azure.Kusto",
        "Microsoft.Azure.Mobile",
        "Microsoft.Azure.AppConfiguration",
        "Microsoft.Azure.StackExchangeRedis",
        "Microsoft.Azure.OperationalInsights",
        "Microsoft.Azure.ApplicationInsights",
    };

    /// <summary>The assembly named <paramref name="assemblyName"/> is one of the listed client libraries, or one of their parts.</summary>
    public static bool IsClient(string? assemblyName)
    {
        if (assemblyName is null)
        {
            return false;
        }

        foreach (var client in ClientAssemblies)
        {
            if (assemblyName.StartsWith(client, StringComparison.OrdinalIgnoreCase)
                && (assemblyName.Length == client.Length || assemblyName[client.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }
}
