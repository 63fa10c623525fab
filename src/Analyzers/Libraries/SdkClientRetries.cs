using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries;

/// <summary>
/// The SDK clients that retry by themselves (RES006, path 2), and what the compilation sets their retries to. One instance
/// per compilation: settings are collected from the callbacks that already see them, and read when the compilation ends,
/// because "retries turned off in sight" holds for a client type anywhere in the compilation.
/// </summary>
/// <remarks>
/// Defaults, each read in the library's source:
/// <list type="bullet">
/// <item>AWS SDK for .NET: <c>ClientConfig.MaxRetriesDefault = 2</c> retries (3 attempts) in the standard mode, the default
/// mode of AWSSDK.Core 4.x (aws/aws-sdk-net sdk/src/Core/Amazon.Runtime/ClientConfig.cs).</item>
/// <item>Azure SDK: <c>RetryOptions.MaxRetries = 3</c> (Azure.Core 1.4x-1.64, sdk/core/Azure.Core/src/RetryOptions.cs), for
/// every client whose options derive from <c>Azure.Core.ClientOptions</c>.</item>
/// <item>Cosmos DB: <c>MaxRetryAttemptsOnRateLimitedRequests = 9</c> (Microsoft.Azure.Cosmos 3.4x-3.64, RetryOptions.cs), on 429 only.</item>
/// <item>EF Core: <c>EnableRetryOnFailure</c> retries 6 times by default (ExecutionStrategy.DefaultMaxRetryCount, 8.0-10.0); a
/// context retries only when its provider is told to in the compilation.</item>
/// <item>gRPC: a channel retries only with a service-config <c>RetryPolicy</c>; <c>MaxAttempts</c> counts the first call and
/// the channel caps it at 5 (<c>GrpcChannelOptions.MaxRetryAttempts</c>, grpc-dotnet 2.5x-2.85).</item>
/// </list>
/// </remarks>
internal sealed class SdkClientRetries
{
    private const string Everything = "*";

    private readonly KnownTypes _types;
    private readonly LibraryRetryTypes? _libraries;
    private readonly INamedTypeSymbol? _azureClientOptions;
    private readonly INamedTypeSymbol? _dbContext;
    private readonly ConcurrentDictionary<ITypeSymbol, string?> _groups = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentBag<(string Group, int Retries)> _settings = new();
    private readonly LibraryTypeLookup _lookup;
    private readonly ConcurrentDictionary<string, SdkFailures?> _failures = new(System.StringComparer.Ordinal);
    private int _grpcChannelsWithoutRetry;

    public SdkClientRetries(Compilation compilation, KnownTypes types, LibraryRetryTypes? libraries)
    {
        _types = types;
        _libraries = libraries;
        var lookup = _lookup = LibraryTypeLookup.For(compilation);
        _azureClientOptions = lookup.Find("Azure.Core", "Azure.Core.ClientOptions");
        _dbContext = lookup.Find("Microsoft.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.DbContext");
    }

    /// <summary>Some SDK that retries by itself is referenced.</summary>
    public bool Any => _types.Aws.AmazonServiceClient is not null || _azureClientOptions is not null || _dbContext is not null
                       || _libraries?.CosmosClientOptions is not null || _types.Grpc.ClientBase is not null;

    /// <summary>
    /// The SDK client group a call goes through (<c>aws:AWSSDK.DynamoDBv2</c>, <c>azure:Azure.Storage.Blobs</c>, <c>cosmos</c>,
    /// <c>efcore:ShopContext</c>, <c>grpc</c>) and the client's name, or null when the call is not made on such a client.
    /// </summary>
    public string? GroupOf(IInvocationOperation call, out string client)
    {
        client = "";
        var receiver = call.Instance?.Type;
        if (receiver is null && call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 && _dbContext is not null)
        {
            receiver = ContextBehind(call.Arguments[0].Value);
        }

        if (receiver is not INamedTypeSymbol type || _types.IsDeclaredHere(type) && !TypeFacts.DerivesFromDefinition(type, _dbContext) && !_types.Grpc.IsClient(type))
        {
            return null;
        }

        var group = _groups.GetOrAdd(type, Classify);
        client = type.Name;
        return group is not null && SendsRequest(call, group) ? group : null;
    }

    /// <summary>
    /// A client's own retries wrap the requests it sends, so only a call that sends one is a layer (DESIGN.md: a retry
    /// re-sends the same request). Calls that make a child client, sign a URL, describe a query or track an entity send
    /// nothing: <c>GetBlobClient</c>, <c>GetContainer</c>, <c>GetPreSignedURL</c>, <c>Dispose</c>, <c>Add</c>, <c>Where</c>. What
    /// each SDK's sending methods have in common, read in its source:
    /// <list type="bullet">
    /// <item>AWS: every service operation returns an <c>AmazonWebServiceResponse</c> (its convenience overloads too);
    /// <c>GetPreSignedURL</c> takes a request object but only signs it;</item>
    /// <item>Azure: service methods return <c>Response</c>, <c>Response&lt;T&gt;</c> (a <c>NullableResponse&lt;T&gt;</c>) or an
    /// <c>Operation</c>, awaited or not (Azure SDK design guidelines); a pageable, sent while it is enumerated, is left out;</item>
    /// <item>Cosmos DB: operations return a <c>Response&lt;T&gt;</c> (<c>ItemResponse</c>, <c>FeedResponse</c>...), a
    /// <c>ResponseMessage</c> or a <c>TransactionalBatchResponse</c>;</item>
    /// <item>EF Core: on the context, <c>SaveChanges</c> and <c>Find</c>; a query sends when it is run, by an operator that
    /// returns neither a query (<c>IQueryable</c>) nor a lazy sequence (<c>IEnumerable&lt;T&gt;</c>,
    /// <c>IAsyncEnumerable&lt;T&gt;</c>);</item>
    /// <item>gRPC: every method of a generated client is a call.</item>
    /// </list>
    /// </summary>
    private static bool SendsRequest(IInvocationOperation call, string group)
    {
        var method = call.TargetMethod;
        var returned = Awaited(method.ReturnType);
        switch (group.Substring(0, group.IndexOf(':') is var colon and >= 0 ? colon : group.Length))
        {
            case "aws":
                return DerivesFromNamed(returned, "Amazon.Runtime", "AmazonWebServiceResponse");
            case "azure":
                return DerivesFromNamed(returned, "Azure", "Response", "NullableResponse", "Operation");
            case "cosmos":
                return DerivesFromNamed(returned, "Microsoft.Azure.Cosmos", "Response", "ResponseMessage", "TransactionalBatchResponse");
            case "efcore":
                return method.IsExtensionMethod || method.ReducedFrom is not null
                    ? !IsQueryOrLazySequence(method.ReturnType)
                    : method.Name is "SaveChanges" or "SaveChangesAsync" or "Find" or "FindAsync";
            default:
                return true;
        }
    }

    /// <summary>
    /// What <paramref name="call"/> through <paramref name="group"/> lets out once the client's retries give up (each SDK's
    /// list is beside its retry settings: <see cref="Aws.AwsRetry.Failures"/>, <see cref="Azure.AzureRetry.Failures"/>,
    /// <see cref="Cosmos.CosmosRetry.Failures"/>, <see cref="EfCore.EfCoreRetry.Failures"/>, <see cref="Grpc.GrpcRetry.Failures"/>),
    /// resolved once per compilation when a retry first calls that SDK. Null when it is not known: a call that hands a failure
    /// back as its result (a Cosmos stream operation's <c>ResponseMessage</c>, an Azure protocol method given a
    /// <c>RequestContext</c>, whose <c>ErrorOptions.NoThrow</c> returns the error response) or a type that cannot be found.
    /// </summary>
    public SdkFailures? FailuresOf(IInvocationOperation call, string group)
    {
        var family = group.Substring(0, group.IndexOf(':') is var colon and >= 0 ? colon : group.Length);
        switch (family)
        {
            case "cosmos" when DerivesFromNamed(Awaited(call.TargetMethod.ReturnType), "Microsoft.Azure.Cosmos", "ResponseMessage", "TransactionalBatchResponse"):
                return null;
            case "azure" when TakesRequestContext(call):
                return null;
        }

        return _failures.GetOrAdd(family, f => f switch
        {
            "aws" => SdkFailures.Resolve(_lookup, Aws.AwsRetry.Failures),
            "azure" => SdkFailures.Resolve(_lookup, Azure.AzureRetry.Failures),
            "cosmos" => SdkFailures.Resolve(_lookup, Cosmos.CosmosRetry.Failures),
            "efcore" => SdkFailures.Resolve(_lookup, EfCore.EfCoreRetry.Failures),
            "grpc" => SdkFailures.Resolve(_lookup, Grpc.GrpcRetry.Failures),
            _ => null,
        });
    }

    private static bool TakesRequestContext(IInvocationOperation call)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Parameter?.Type is { Name: "RequestContext" } type
                && type.ContainingNamespace?.ToDisplayString() == "Azure")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The result of a <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>, or the type itself.</summary>
    private static ITypeSymbol Awaited(ITypeSymbol type)
        => type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Task" or "ValueTask" } task
           && task.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
            ? task.TypeArguments[0]
            : type;

    private static bool DerivesFromNamed(ITypeSymbol? type, string ns, params string[] names)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (System.Array.IndexOf(names, current.Name) >= 0 && current.ContainingNamespace?.ToDisplayString() == ns)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An operator that only describes the query, or hands back a sequence that runs it later.</summary>
    private static bool IsQueryOrLazySequence(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Interface, Name: "IEnumerable" or "IAsyncEnumerable" or "IQueryable" or "IOrderedQueryable" })
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (implemented.Name == "IQueryable" && implemented.ContainingNamespace?.ToDisplayString() == "System.Linq")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Attempts of one call through the group, or null when its retries are off or cannot be seen.</summary>
    public int? AttemptsOf(string group)
    {
        int? @default = group switch
        {
            _ when group.StartsWith("aws:", System.StringComparison.Ordinal) => 2,
            _ when group.StartsWith("azure:", System.StringComparison.Ordinal) => 3,
            "cosmos" => 9,
            _ => null,
        };
        var family = group.Substring(0, group.IndexOf(':') is var colon and >= 0 ? colon : group.Length);
        int? largest = null;
        foreach (var (setting, retries) in _settings)
        {
            if (setting == group || setting == family + ":" + Everything)
            {
                if (retries <= 0)
                {
                    return null;
                }

                largest = largest is { } seen && seen > retries ? seen : retries;
            }
        }

        if (group == "grpc")
        {
            // Attempts, not retries; a channel without a retry policy in sight may be the one the client uses.
            return _grpcChannelsWithoutRetry > 0 || largest is not { } attempts ? null : System.Math.Min(attempts, 5);
        }

        var effective = largest ?? @default;
        return effective is { } count ? count + 1 : null;
    }

    private string? Classify(ITypeSymbol type)
    {
        if (_types.Aws.IsServiceClient(type))
        {
            return "aws:" + type.ContainingAssembly?.Name;
        }

        if (_dbContext is not null && TypeFacts.DerivesFromDefinition(type, _dbContext))
        {
            return "efcore:" + type.ToDisplayString();
        }

        if (_types.Grpc.IsClient(type))
        {
            return "grpc";
        }

        var ns = type.ContainingNamespace?.ToDisplayString() ?? "";
        if (_libraries?.CosmosClientOptions is not null && ns == "Microsoft.Azure.Cosmos" && type.Name is "CosmosClient" or "Container" or "Database")
        {
            return "cosmos";
        }

        if (_azureClientOptions is not null && ns.StartsWith("Azure.", System.StringComparison.Ordinal) && type.Name.EndsWith("Client", System.StringComparison.Ordinal)
            && type is INamedTypeSymbol named && TakesAzureOptions(named))
        {
            return "azure:" + type.ContainingAssembly?.Name;
        }

        return null;
    }

    private bool TakesAzureOptions(INamedTypeSymbol type)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (TypeFacts.IsOrDerivesFrom(parameter.Type, _azureClientOptions))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>db.Orders.Where(…).ToListAsync()</c>: the context the query starts from.</summary>
    private ITypeSymbol? ContextBehind(IOperation value)
    {
        var current = OperationTree.Unwrap(value);
        for (var depth = 0; depth < 8 && current is not null; depth++)
        {
            if (TypeFacts.DerivesFromDefinition(current.Type, _dbContext))
            {
                return current.Type;
            }

            current = current switch
            {
                IPropertyReferenceOperation property => OperationTree.Unwrap(property.Instance),
                IInvocationOperation { Instance: { } instance } => OperationTree.Unwrap(instance),
                IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } extension => OperationTree.Unwrap(extension.Arguments[0].Value),
                _ => null,
            };
        }

        return null;
    }

    /// <summary>A library retry setting the retry rules recognised: the count it gives its SDK's clients.</summary>
    public void Observe(IOperation operation, LibraryRetrySettings settings)
    {
        if (settings.Retries is not { } retries || retries > int.MaxValue)
        {
            return;
        }

        var group = settings.Subject switch
        {
            "'MaxErrorRetry'" when operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target }
                => Owner("aws", target.Instance?.Type ?? target.Property.ContainingType, _libraries?.AwsClientConfig),
            "'RetryOptions.MaxRetries'" when operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: IPropertyReferenceOperation retry } }
                => Owner("azure", retry.Instance?.Type ?? retry.Property.ContainingType, _azureClientOptions),

            // new BlobClientOptions { Retry = { MaxRetries = 15 } }: the options object is the one the Retry initializer is in.
            "'RetryOptions.MaxRetries'" when operation is ISimpleAssignmentOperation { Parent: IObjectOrCollectionInitializerOperation { Parent: IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation retry } } }
                => Owner("azure", retry.Instance?.Type ?? retry.Property.ContainingType, _azureClientOptions),
            "'MaxRetryAttemptsOnRateLimitedRequests'" => "cosmos",
            "'EnableRetryOnFailure'" when operation is IInvocationOperation enable => ContextConfigured(enable),
            _ => null,
        };
        if (group is not null)
        {
            _settings.Add((group, (int)retries));
        }
    }

    /// <summary><c>new RetryPolicy { MaxAttempts = 4 }</c>, and channels made without any retry policy.</summary>
    public void OnObjectCreation(IObjectCreationOperation creation)
    {
        if (creation.Type?.Name == "RetryPolicy" && SymbolEqualityComparer.Default.Equals(creation.Type, _libraries?.GrpcRetryPolicy))
        {
            var attempts = 0;
            foreach (var member in creation.Initializer?.Initializers ?? System.Collections.Immutable.ImmutableArray<IOperation>.Empty)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "MaxAttempts" } } assignment
                    && (OperationTree.Unwrap(assignment.Value) ?? assignment.Value).ConstantValue is { HasValue: true, Value: int value })
                {
                    attempts = value;
                }
            }

            _settings.Add(("grpc", attempts));
        }
        else if (creation.Type?.Name == "GrpcChannelOptions" && _libraries?.GrpcRetryPolicy is not null
                 && !HasMember(creation, "ServiceConfig"))
        {
            System.Threading.Interlocked.Increment(ref _grpcChannelsWithoutRetry);
        }
    }

    /// <summary><c>GrpcChannel.ForAddress(address)</c> with no options: a channel without a retry policy.</summary>
    public void OnInvocation(IInvocationOperation call)
    {
        if (call.TargetMethod is { Name: "ForAddress", ContainingType.Name: "GrpcChannel" } && _libraries?.GrpcRetryPolicy is not null
            && call.Arguments.Length > 0 && call.Arguments[call.Arguments.Length - 1].ArgumentKind == ArgumentKind.DefaultValue)
        {
            System.Threading.Interlocked.Increment(ref _grpcChannelsWithoutRetry);
        }
    }

    private static bool HasMember(IObjectCreationOperation creation, string name)
    {
        foreach (var member in creation.Initializer?.Initializers ?? System.Collections.Immutable.ImmutableArray<IOperation>.Empty)
        {
            if (member is IAssignmentOperation { Target: IPropertyReferenceOperation property } && property.Property.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The clients a configuration type serves: those of its assembly, or every client of the SDK for the base type.</summary>
    private static string Owner(string family, ITypeSymbol? options, INamedTypeSymbol? baseType)
        => options is null || SymbolEqualityComparer.Default.Equals(options, baseType) || SymbolEqualityComparer.Default.Equals(options.ContainingAssembly, baseType?.ContainingAssembly)
            ? family + ":" + Everything
            : family + ":" + options.ContainingAssembly?.Name;

    /// <summary>
    /// The context whose provider <c>EnableRetryOnFailure</c> configures: the type of an <c>OnConfiguring</c> override, or the type
    /// argument of <c>AddDbContext&lt;T&gt;</c> (and its pool and factory forms) whose options lambda holds it. Null otherwise.
    /// </summary>
    private string? ContextConfigured(IInvocationOperation enable)
    {
        for (IOperation? current = enable.Parent; current is not null; current = current.Parent)
        {
            if (current is IInvocationOperation { TargetMethod: { Name: var name, TypeArguments: { Length: > 0 } arguments } }
                && name is "AddDbContext" or "AddDbContextPool" or "AddDbContextFactory" or "AddPooledDbContextFactory")
            {
                return "efcore:" + arguments[0].ToDisplayString();
            }
        }

        var method = enable.SemanticModel is { } model ? EnclosingMember.At(model, enable.Syntax.SpanStart) as IMethodSymbol : null;
        return method is { Name: "OnConfiguring", IsOverride: true } && TypeFacts.DerivesFromDefinition(method.ContainingType, _dbContext)
            ? "efcore:" + method.ContainingType.ToDisplayString()
            : null;
    }
}
