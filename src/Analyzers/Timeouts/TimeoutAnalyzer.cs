using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Timeouts;

/// <summary>RES010 infinite timeouts on outbound calls, RES011 gRPC calls without a deadline and RES012 network waits nothing can end.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TimeoutAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InfiniteTimeout,
        DiagnosticDescriptors.GrpcCallWithoutDeadline,
        DiagnosticDescriptors.NetworkWaitWithoutEnd);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = KnownTypes.Create(context.Compilation);
        if (types.TimeSpan is null || types.Timeout is null)
        {
            // Not a compilation against a .NET framework we understand.
            return;
        }

        var outbound = new OutboundOperations(types.Console, types.Assembly);
        var analysis = new Analysis(
            types,
            new TimeoutTargetRecognizer(types, outbound),
            new HttpClientTimeoutOwners(context.Compilation),
            types.IsTestProject);

        context.RegisterOperationAction(analysis.OnAssignment, OperationKind.SimpleAssignment);
        context.RegisterOperationAction(analysis.OnArgument, OperationKind.Argument);
        context.RegisterOperationAction(analysis.OnLiteral, OperationKind.Literal);
        if (types.Grpc.IsReferenced || types.Sockets.IsReferenced)
        {
            context.RegisterOperationAction(analysis.OnInvocation, OperationKind.Invocation);
        }
    }

    /// <summary>Everything one compilation's actions share; immutable apart from the owners' cache.</summary>
    private sealed class Analysis
    {
        private readonly KnownTypes _types;
        private readonly TimeoutTargetRecognizer _targets;
        private readonly HttpClientTimeoutOwners _owners;
        private readonly bool _isTestProject;

        public Analysis(KnownTypes types, TimeoutTargetRecognizer targets, HttpClientTimeoutOwners owners, bool isTestProject)
        {
            _types = types;
            _targets = targets;
            _owners = owners;
            _isTestProject = isTestProject;
        }

        /// <summary><c>x.Timeout = …</c>, and <c>Timeout = …</c> in an object initializer.</summary>
        public void OnAssignment(OperationAnalysisContext context)
        {
            var assignment = (ISimpleAssignmentOperation)context.Operation;
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

        /// <summary><c>commandTimeout: 0</c>, <c>AddTimeout(Timeout.InfiniteTimeSpan)</c>, named or positional.</summary>
        public void OnArgument(OperationAnalysisContext context)
        {
            var argument = (IArgumentOperation)context.Operation;
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
        public void OnLiteral(OperationAnalysisContext context)
        {
            var literal = (ILiteralOperation)context.Operation;
            if (literal.ConstantValue is not { HasValue: true, Value: string text } || !ConnectionStringTimeouts.MayHold(text))
            {
                return;
            }

            var isFragment = literal.Parent is IInterpolatedStringTextOperation or IBinaryOperation;
            if (ConnectionStringTimeouts.FindInfinite(text, isFragment, out var namesConnection) is not { } key
                || (!namesConnection && !ConnectionStringTimeouts.IsInConnectionStringContext(literal))
                || !ShouldAnalyze(context))
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

        /// <summary>RES011: a generated gRPC client's method called with no deadline.</summary>
        public void OnInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
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
            => invocation is InvocationExpressionSyntax { Expression: var expression }
                ? expression switch
                {
                    MemberAccessExpressionSyntax member => member.Name.Identifier,
                    MemberBindingExpressionSyntax binding => binding.Name.Identifier,
                    SimpleNameSyntax simple => simple.Identifier,
                    _ => invocation,
                }
                : invocation;
    }
}
