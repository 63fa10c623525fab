using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Http;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Timeouts;

/// <summary>
/// RES010 infinite timeouts on outbound calls, RES011 gRPC calls without a deadline, RES012 network waits nothing can end,
/// and RES013 timeouts and retries that defeat each other (within a chain from the invocation callback; across statements
/// and files from the compilation's <see cref="HttpClientRegistry"/> at compilation end).
/// </summary>
/// <remarks>Exported through <see cref="ResilienceAnalyzer"/>, which runs the families together; this class runs one family
/// alone (tests, tools).</remarks>
#pragma warning disable RS1001 // Not exported on purpose: ResilienceAnalyzer composes the families (see its remarks).
public sealed class TimeoutAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1001
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InfiniteTimeout,
        DiagnosticDescriptors.GrpcCallWithoutDeadline,
        DiagnosticDescriptors.NetworkWaitWithoutEnd,
        DiagnosticDescriptors.TimeoutsAndRetriesConflict);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    internal static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Create(context.Compilation);
        if (types.TimeSpan is null || types.Timeout is null)
        {
            // Not a compilation against a .NET framework we understand.
            return;
        }

        var outbound = new OutboundOperations(types.Console, types.Assembly);

        // RES013 reads Polly v8 pipelines and, with Microsoft.Extensions.Http.Resilience, the factory clients' handlers.
        var registry = types.Polly.HasV8 ? new HttpClientRegistry() : null;
        var analysis = new Analysis(
            types,
            new TimeoutTargetRecognizer(types, outbound),
            new HttpClientTimeoutOwners(context.Compilation),
            registry,
            types.IsTestProject);

        // Timeout arguments are read from the calls and creations that take them: the driver's cost is per callback,
        // and a compilation has about twice as many arguments as calls and creations together.
        context.RegisterOperationAction(analysis.OnAssignment, OperationKind.SimpleAssignment);
        context.RegisterSyntaxNodeAction(analysis.OnStringText, SyntaxKind.StringLiteralExpression, SyntaxKind.InterpolatedStringText);
        context.RegisterOperationAction(analysis.OnInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(analysis.OnObjectCreation, OperationKind.ObjectCreation);

        if (registry is not null && types.Polly.HasHttpResilience)
        {
            context.RegisterCompilationEndAction(analysis.OnCompilationEnd);
        }
    }

    /// <summary>Everything one compilation's actions share; immutable apart from the owners' cache.</summary>
    private sealed class Analysis
    {
        private readonly KnownTypes _types;
        private readonly TimeoutTargetRecognizer _targets;
        private readonly HttpClientTimeoutOwners _owners;
        private readonly HttpClientRegistry? _registry;
        private readonly bool _isTestProject;

        public Analysis(KnownTypes types, TimeoutTargetRecognizer targets, HttpClientTimeoutOwners owners, HttpClientRegistry? registry, bool isTestProject)
        {
            _types = types;
            _targets = targets;
            _owners = owners;
            _registry = registry;
            _isTestProject = isTestProject;
        }

        /// <summary><c>x.Timeout = …</c>, and <c>Timeout = …</c> in an object initializer.</summary>
        public void OnAssignment(OperationAnalysisContext context)
        {
            var assignment = (ISimpleAssignmentOperation)context.Operation;
            if (_registry is not null && assignment.Target is IPropertyReferenceOperation { Property.Name: "Timeout" })
            {
                NoteClientTimeout(context, assignment, _registry);
            }

            if (assignment.Target is not IPropertyReferenceOperation { Property: { } property } target
                || !(TimeoutTargetRecognizer.HasTimeoutName(property.Name) || property.IsIndexer)
                || !ShouldAnalyze(context)
                || (property.IsIndexer ? TimeoutTargetRecognizer.ConnectionStringBuilderIndexer(target) : _targets.Property(property)) is not { } timeout
                || !InfiniteValueRecognizer.IsInfinite(assignment.Value, timeout.ZeroIsInfinite, _types))
            {
                return;
            }

            if (IsChosenByTheCaller(assignment))
            {
                return;
            }

            if (timeout.IsHttpClientTimeout
                && (_owners.IsOwnedByStrategy(assignment, target.Instance, context.ContainingSymbol, context.CancellationToken)
                    || _owners.SendsCarryTokens(assignment, target.Instance, _types, context.CancellationToken)
                    || HttpClientTimeoutOwners.IsHandedToAzureTransport(assignment, target.Instance)))
            {
                return;
            }

            ReportInfinite(context, assignment.Syntax.GetLocation(), timeout.DisplayName, timeout, assignment.Value.Syntax);
        }

        /// <summary>RES010 on the arguments of a creation (<c>new SqlCommand(text, connection) { … }</c> takes its timeouts here too).</summary>
        public void OnObjectCreation(OperationAnalysisContext context) => OnArguments(context, ((IObjectCreationOperation)context.Operation).Arguments);

        /// <summary>RES010: an infinite value passed to a timeout parameter of a call or a creation.</summary>
        private void OnArguments(OperationAnalysisContext context, ImmutableArray<IArgumentOperation> arguments)
        {
            foreach (var argument in arguments)
            {
                OnArgument(context, argument);
            }
        }

        /// <summary><c>commandTimeout: 0</c>, <c>AddTimeout(Timeout.InfiniteTimeSpan)</c>, named or positional.</summary>
        private void OnArgument(OperationAnalysisContext context, IArgumentOperation argument)
        {
            if (argument.ArgumentKind != ArgumentKind.Explicit
                || argument.Parameter is not { } parameter
                || !(TimeoutTargetRecognizer.HasTimeoutName(parameter.Name) || parameter.Name == "optionValue")
                || !ShouldAnalyze(context)
                || (_targets.Parameter(parameter) ?? TimeoutTargetRecognizer.SocketOption(argument)) is not { } timeout
                || !InfiniteValueRecognizer.IsInfinite(argument.Value, timeout.ZeroIsInfinite, _types))
            {
                return;
            }

            ReportInfinite(context, argument.Syntax.GetLocation(), timeout.DisplayName, timeout, argument.Value.Syntax);
        }

        /// <summary>
        /// The infinite value is one branch of a decision on a parameter of the member it is in, and the other branch
        /// writes that parameter to the same timeout (<c>if (value &gt; TimeSpan.Zero) socket.SendTimeout =
        /// (int)value.TotalMilliseconds; else socket.SendTimeout = -1;</c>): the member passes through what its caller
        /// configured, and "no limit" is the caller's choice (RULES.md, "Use, not definition"). Judged where the caller
        /// picks the value. A decision on anything else (a content length, a mode flag) is a choice made here.
        /// </summary>
        private static bool IsChosenByTheCaller(ISimpleAssignmentOperation written)
        {
            if (OperationTree.ReferencedSymbol(written.Target) is not { } target)
            {
                return false;
            }

            IOperation child = written;
            for (var current = written.Parent; current is not null; child = current, current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }

                if (current is not IConditionalOperation { Condition: { } condition } conditional || child == condition)
                {
                    continue;
                }

                var other = child == conditional.WhenTrue ? conditional.WhenFalse : conditional.WhenTrue;
                foreach (var parameter in ReadParameters(condition))
                {
                    if (other is not null && OperationTree.Any(other, o => o is ISimpleAssignmentOperation assignment
                            && SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(assignment.Target), target)
                            && OperationTree.Any(assignment.Value, v => v is IParameterReferenceOperation read && SymbolEqualityComparer.Default.Equals(read.Parameter, parameter))))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static IEnumerable<IParameterSymbol> ReadParameters(IOperation condition)
        {
            foreach (var operation in OperationTree.Descendants(condition).Prepend(condition))
            {
                if (operation is IParameterReferenceOperation { Parameter: { } parameter } && IsDurationType(parameter.Type))
                {
                    yield return parameter;
                }
            }
        }

        /// <summary>A parameter that carries a duration (a <c>TimeSpan</c> or a number), not a mode flag.</summary>
        private static bool IsDurationType(ITypeSymbol type)
        {
            var underlying = TypeFacts.UnwrapNullable(type);
            return underlying is not null
                   && (underlying.Name == "TimeSpan"
                       || underlying.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double or SpecialType.System_UInt32);
        }

        /// <summary><c>Connect Timeout=0</c> / <c>Command Timeout=0</c> in connection-string text.</summary>
        /// <remarks>
        /// Seen from the syntax of string literals and of the text between interpolation holes: the operation is asked for
        /// only when the text may hold a timeout key.
        /// </remarks>
        public void OnStringText(SyntaxNodeAnalysisContext context)
        {
            var text = context.Node switch
            {
                LiteralExpressionSyntax literalSyntax => literalSyntax.Token.ValueText,
                InterpolatedStringTextSyntax part => part.TextToken.ValueText,
                _ => string.Empty,
            };
            if (!ConnectionStringTimeouts.MayHold(text)
                || context.SemanticModel.GetOperation(context.Node, context.CancellationToken) switch
                {
                    ILiteralOperation whole => whole,
                    IInterpolatedStringTextOperation part => part.Text as ILiteralOperation,
                    _ => null,
                } is not { ConstantValue.Value: string value } literal)
            {
                return;
            }

            var isFragment = literal.Parent is IInterpolatedStringTextOperation or IBinaryOperation;
            if (ConnectionStringTimeouts.FindInfinite(value, isFragment, out var namesConnection) is not { } key
                || (!namesConnection && !ConnectionStringTimeouts.IsInConnectionStringContext(literal))
                || !TestCode.ShouldAnalyze(_isTestProject, context.Options, context.Node.SyntaxTree))
            {
                return;
            }

            // Text between interpolation holes is reported as the whole interpolated string.
            var reported = literal.Parent is IInterpolatedStringTextOperation { Parent: IInterpolatedStringOperation interpolated } ? interpolated.Syntax : literal.Syntax;
            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties[TimeoutFixHintKeys.TimeoutUnit] = nameof(TimeoutUnit.ConnectionString);
            properties[TimeoutFixHintKeys.TimeoutDomain] = "Other";
            AddSpan(properties, literal.Syntax);
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InfiniteTimeout,
                reported.GetLocation(),
                properties.ToImmutable(),
                $"'{key}=0' in this connection string"));
        }

        /// <summary>RES012: a socket-level wait on an object this method owns, with no token and no timeout.</summary>
        private void OnNetworkWait(OperationAnalysisContext context, IInvocationOperation invocation)
        {
            if (!_types.Sockets.IsReferenced
                || NetworkWaitRecognizer.Recognize(invocation, context.ContainingSymbol, _types) is not { } wait
                || !ShouldAnalyze(context))
            {
                return;
            }

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties[TimeoutFixHintKeys.TokenFix] = wait.Fix.ToString();
            if (wait.Token is not null)
            {
                properties[TimeoutFixHintKeys.Token] = wait.Token;
            }

            if (wait.ArgumentName is not null)
            {
                properties[TimeoutFixHintKeys.TokenParameter] = wait.ArgumentName;
            }

            if (wait.Replaced is not null)
            {
                AddSpan(properties, wait.Replaced.Syntax);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.NetworkWaitWithoutEnd,
                MethodName(invocation.Syntax).GetLocation(),
                properties.ToImmutable(),
                invocation.TargetMethod.Name,
                wait.Owner,
                wait.What));
        }

        /// <summary>RES011: a generated gRPC client's method called with no deadline; RES013 on the builder chains it ends.</summary>
        public void OnInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            OnArguments(context, invocation.Arguments);
            if (_registry is not null
                && (HttpClientBuilderRecognizer.IsBuilderType(invocation.Type) || ResiliencePipelineRecognizer.IsBuilderType(invocation.Type))
                && FluentChain.IsTop(invocation, IsBuilder))
            {
                OnBuilderChain(context, invocation, _registry);
                return;
            }

            if (NetworkWaitRecognizer.IsCandidateName(invocation.TargetMethod.Name))
            {
                OnNetworkWait(context, invocation);
                return;
            }

            if (!_types.Grpc.IsReferenced
                || !TakesDeadline(invocation.TargetMethod)
                || GrpcDeadlineRecognizer.Recognize(invocation, _types) is not { } call
                || !ShouldAnalyze(context))
            {
                return;
            }

            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            properties[TimeoutFixHintKeys.DeadlineFix] = call.Fix.ToString();
            if (call.Value is not null)
            {
                AddSpan(properties, call.Value.Syntax);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.GrpcCallWithoutDeadline,
                MethodName(invocation.Syntax).GetLocation(),
                properties.ToImmutable(),
                invocation.TargetMethod.Name));
        }

        /// <summary>
        /// RES013 within one chain: the strategies of a pipeline or standard handler, and a client's timeout set in the same
        /// fluent chain as its handler. The chain also goes to the registry for the judgement across chains.
        /// </summary>
        private void OnBuilderChain(OperationAnalysisContext context, IInvocationOperation top, HttpClientRegistry registry)
        {
            if (ResiliencePipelineRecognizer.IsBuilderType(top.Type))
            {
                if (ResiliencePipelineRecognizer.RecognizeFromFirstChain(top, _types) is { } pipeline)
                {
                    ReportConflicts(context, TimeoutRetryConflictJudge.InPipeline(pipeline.Strategies, kind: null));
                }

                return;
            }

            if (HttpClientBuilderRecognizer.Recognize(top, _types) is not { } chain)
            {
                return;
            }

            registry.Add(chain);
            var conflicts = new List<TimeoutConflict>();
            foreach (var handler in chain.Handlers)
            {
                if (handler.Kind is HandlerKind.StandardResilience or HandlerKind.StandardHedging)
                {
                    conflicts.AddRange(TimeoutRetryConflictJudge.InPipeline(handler.Strategies, handler.Kind));
                }

                // A typed client's constructor may set the timeout again: judged at compilation end, where it is seen.
                if (chain.Timeouts.Length == 1 && chain.Timeouts[0].Milliseconds is { } timeout
                    && chain.Key?.StartsWith("type:", System.StringComparison.Ordinal) != true
                    && TimeoutRetryConflictJudge.ClientTimeout(timeout, chain.Timeouts[0], handler, chain.Key is null ? "this client" : HttpClientKey.Display(chain.Key)) is { } conflict)
                {
                    conflicts.Add(conflict);
                }
            }

            ReportConflicts(context, conflicts);
        }

        private static bool IsBuilder(ITypeSymbol? type) => HttpClientBuilderRecognizer.IsBuilderType(type) || ResiliencePipelineRecognizer.IsBuilderType(type);

        /// <summary>
        /// <c>HttpClient.Timeout</c> written outside a builder chain: in a typed client's constructor (the client registered
        /// with <c>AddHttpClient&lt;T&gt;</c>), or somewhere no client can be named, which leaves every default unknown.
        /// </summary>
        private static void NoteClientTimeout(OperationAnalysisContext context, ISimpleAssignmentOperation assignment, HttpClientRegistry registry)
        {
            if (!HttpClientBuilderRecognizer.IsHttpClientTimeout(assignment, out _))
            {
                return;
            }

            for (var current = assignment.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation lambda)
                {
                    if (OperationTree.Outer(lambda).Parent is IDelegateCreationOperation creation
                        && OperationTree.Outer(creation).Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "AddHttpClient" or "ConfigureHttpClient" } })
                    {
                        // The builder chain's recogniser reads it.
                        return;
                    }

                    break;
                }
            }

            if (context.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor, ContainingType: { } typedClient } constructor
                && HttpClientBuilderRecognizer.TakesHttpClient(constructor)
                && OperationTree.Unwrap(((IPropertyReferenceOperation)assignment.Target).Instance) is IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation)
            {
                var runsOnce = assignment.Parent is IExpressionStatementOperation { Parent: IBlockOperation { Parent: null or IMethodBodyOperation or IConstructorBodyOperation } };
                registry.AddConstructorTimeout(
                    HttpClientKey.Typed(typedClient),
                    new ClientTimeout(runsOnce ? Retry.TimeValue.TryGetMilliseconds(assignment.Value) : null, assignment.Syntax.GetLocation()));
                return;
            }

            registry.MarkUnattributedTimeout();
        }

        /// <summary>RES013 across chains and files: a client's effective timeout against every handler it gets.</summary>
        public void OnCompilationEnd(CompilationAnalysisContext context)
        {
            if (_registry is null)
            {
                return;
            }

            var reported = new HashSet<(Location, string)>();
            foreach (var client in _registry.Clients())
            {
                if (client.TimeoutMilliseconds is not { } timeout)
                {
                    continue;
                }

                var typed = client.Key.StartsWith("type:", System.StringComparison.Ordinal);
                foreach (var (handler, chain) in client.Handlers)
                {
                    if (!typed && client.TimeoutChain is not null && client.TimeoutChain == chain)
                    {
                        // Reported from the chain's own callback while typing.
                        continue;
                    }

                    if (TimeoutRetryConflictJudge.ClientTimeout(timeout, client.Timeout, handler, HttpClientKey.Display(client.Key)) is { } conflict
                        && reported.Add((conflict.Location, conflict.Arithmetic))
                        && conflict.Location.SourceTree is { } tree
                        && TestCode.ShouldAnalyze(_isTestProject, context.Options, tree))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TimeoutsAndRetriesConflict, conflict.Location, conflict.Arithmetic, conflict.Consequence));
                    }
                }
            }
        }

        /// <summary>One finding per location: the first the judge gives (an attempt timeout before the delays it also cuts short).</summary>
        private void ReportConflicts(OperationAnalysisContext context, IEnumerable<TimeoutConflict> conflicts)
        {
            var locations = new HashSet<Location>();
            foreach (var conflict in conflicts)
            {
                if (!locations.Add(conflict.Location))
                {
                    continue;
                }

                if (!ShouldAnalyze(context))
                {
                    return;
                }

                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TimeoutsAndRetriesConflict, conflict.Location, conflict.Arithmetic, conflict.Consequence));
            }
        }

        private bool ShouldAnalyze(OperationAnalysisContext context)
            => TestCode.ShouldAnalyze(_isTestProject, context.Options, context.Operation.Syntax.SyntaxTree);

        /// <summary>Cheap test before any type work: only methods with a deadline or CallOptions parameter can be RPCs.</summary>
        private bool TakesDeadline(IMethodSymbol method)
        {
            if (method.IsStatic)
            {
                return false;
            }

            foreach (var parameter in method.Parameters)
            {
                if (parameter.Name == "deadline" || SymbolEqualityComparer.Default.Equals(parameter.Type, _types.Grpc.CallOptions))
                {
                    return true;
                }
            }

            return false;
        }

        private static void ReportInfinite(OperationAnalysisContext context, Location location, string name, TimeoutTarget timeout, SyntaxNode value)
        {
            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            if (timeout.Unit != TimeoutUnit.Unknown)
            {
                properties[TimeoutFixHintKeys.TimeoutUnit] = timeout.Unit.ToString();
            }

            properties[TimeoutFixHintKeys.TimeoutDomain] = timeout.IsHttp ? "Http" : "Other";
            AddSpan(properties, value);
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InfiniteTimeout, location, properties.ToImmutable(), name));
        }

        private static void AddSpan(ImmutableDictionary<string, string?>.Builder properties, SyntaxNode node)
        {
            properties[FixHintKeys.ValueStart] = node.SpanStart.ToString(CultureInfo.InvariantCulture);
            properties[FixHintKeys.ValueLength] = node.Span.Length.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>The called method's name token: <c>SayHelloAsync</c> in <c>client.SayHelloAsync(request)</c>.</summary>
        private static SyntaxNodeOrToken MethodName(SyntaxNode invocation)
            => invocation is InvocationExpressionSyntax call && SyntaxShapes.CalledName(call) is { } name ? name : invocation;
    }
}
