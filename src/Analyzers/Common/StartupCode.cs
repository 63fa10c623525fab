using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// Where code runs once, as a process or its configuration starts, rather than once per operation: the judgement RES022 (a
/// client made per operation) and RES030 (a retry with no traffic for a breaker to shed) share.
/// </summary>
/// <remarks>
/// Start-up: <c>Main</c> and top-level statements, the entry point's own type (a console tool's or an example's steps),
/// startup configuration (<c>Configure*</c>), a hosted service's start and execute, and an extension method of a host,
/// service collection or AppHost builder (<c>AddX(this IHostApplicationBuilder builder)</c>,
/// <c>WithY(this IResourceBuilder&lt;T&gt; builder)</c>). A loop in start-up code still runs its body many times.
/// </remarks>
internal static class StartupCode
{
    /// <summary>An ordinary method that is not start-up code: what it does, it does once per call of an operation.</summary>
    public static bool RunsPerOperation(ISymbol symbol, MemberUses uses)
        => symbol is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && !IsStartup(method, uses);

    /// <summary>A method that runs as the process or its configuration starts (see the remarks of the class).</summary>
    public static bool IsStartup(IMethodSymbol method, MemberUses uses)
    {
        if (method.Name is "Main" or "<Main>$" || method.Name.StartsWith("Configure", System.StringComparison.Ordinal))
        {
            return true;
        }

        if (method.MethodKind != MethodKind.Ordinary)
        {
            return false;
        }

        if (method.IsExtensionMethod && method.Parameters.Length > 0 && IsStartupBuilder(method.Parameters[0].Type))
        {
            return true;
        }

        // The entry point's own type: its helpers run as the program starts, unless something calls one from a loop (a
        // request loop in Main, or a lambda inside one): then it runs once per round.
        if (uses.IsEntryPointType(method.ContainingType))
        {
            return !uses.IsCalledFromALoop(method);
        }

        if (method.Name is "ExecuteAsync" or "StartAsync" or "StartingAsync" or "StartedAsync")
        {
            foreach (var implemented in method.ContainingType.AllInterfaces)
            {
                if (implemented is { Name: "IHostedService" or "IHostedLifecycleService", ContainingNamespace: { Name: "Hosting", ContainingNamespace.Name: "Extensions" } })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The operation runs once: in start-up code, outside any loop and any lambda, or in a local function that is itself a
    /// configuration callback (<c>void ConfigureDbContext(IServiceProvider sp, DbContextOptionsBuilder options)</c>, named
    /// <c>Configure*</c>) of start-up code. A lambda runs whenever what it is handed to calls it (an event, a timer, a
    /// message handler, middleware), so an operation inside one is never taken to run once.
    /// </summary>
    public static bool RunsOnce(IOperation operation, ISymbol containingSymbol, MemberUses uses)
    {
        if (containingSymbol is not IMethodSymbol member || !IsStartup(member, uses))
        {
            return false;
        }

        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation:
                case IAnonymousFunctionOperation:
                    return false;
                case ILocalFunctionOperation { Symbol.Name: var name } when !name.StartsWith("Configure", System.StringComparison.Ordinal):
                    return false;
            }
        }

        return true;
    }

    /// <summary>The innermost lambda that holds <paramref name="operation"/>; null outside lambdas.</summary>
    public static IAnonymousFunctionOperation? EnclosingLambda(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                return lambda;
            }
        }

        return null;
    }

    /// <summary>
    /// The lambda is a Minimal API endpoint handler (<c>app.MapGet("/x", async () =&gt; …)</c>, any <c>Map*</c> of
    /// ASP.NET Core's endpoint route builder extensions): it runs once per request.
    /// </summary>
    public static bool IsRequestHandler(IAnonymousFunctionOperation lambda)
    {
        IOperation current = lambda;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current.Parent is IArgumentOperation { Parent: IInvocationOperation map }
               && map.TargetMethod.Name.StartsWith("Map", System.StringComparison.Ordinal)
               && map.TargetMethod.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Builder";
    }

    /// <summary>
    /// The compilation is an Aspire AppHost or hosting integration: it sees <c>Aspire.Hosting.IDistributedApplicationBuilder</c>
    /// and is an AppHost project (its assembly named <c>*.AppHost</c>, as the template names it) or declares types in the
    /// <c>Aspire.Hosting</c> namespace (Aspire.Hosting itself and the hosting integrations, Aspire's and the community's).
    /// Such code orchestrates the application's resources at development and deployment time: it starts emulators,
    /// containers and its own orchestrator process and waits for them, once per resource, with one caller. Seeing the type
    /// alone is not enough: a service that takes Aspire's client packages never references it, but a project can be given
    /// more references than it names.
    /// </summary>
    public static bool IsAppHost(Compilation compilation)
    {
        if (compilation.GetTypeByMetadataName("Aspire.Hosting.IDistributedApplicationBuilder") is null)
        {
            return false;
        }

        if (compilation.AssemblyName is { } name && name.EndsWith("AppHost", System.StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var top in compilation.Assembly.GlobalNamespace.GetNamespaceMembers())
        {
            if (top.Name == "Aspire")
            {
                foreach (var inner in top.GetNamespaceMembers())
                {
                    if (inner.Name == "Hosting")
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>A builder that start-up code configures: a host, a service collection, an AppHost or one of its resources.</summary>
    private static bool IsStartupBuilder(ITypeSymbol type)
        => type.Name is "IHostApplicationBuilder" or "IHostBuilder" or "WebApplicationBuilder" or "IServiceCollection"
               or "IDistributedApplicationBuilder" or "IResourceBuilder"
           && type.ContainingNamespace?.ToDisplayString() is { } ns
           && (ns.StartsWith("Microsoft.Extensions.", System.StringComparison.Ordinal) || ns == "Microsoft.AspNetCore.Builder"
               || ns == "Aspire.Hosting" || ns == "Aspire.Hosting.ApplicationModel");
}
