using ResilienceAnalyzers.Tests.Verifiers;
using Verify = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>RES001-RES003 on the effective values of Polly v8 <c>RetryStrategyOptions</c>.</summary>
public sealed class PollyV8Tests
{
    [Fact]
    public Task Defaults_AreAConstantDelay_ReportRes002OnTheNew()
        => Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            using Polly.Retry;

            class C
            {
                object A() => {|RES002:new RetryStrategyOptions()|};
                object B() => {|RES002:new RetryStrategyOptions<HttpResponseMessage>|} { MaxRetryAttempts = 2 };
                RetryStrategyOptions D() => {|RES002:new()|};
                RetryStrategyOptions E() => {|RES002:new()|} { MaxRetryAttempts = 5 };
            }
            """);

    [Fact]
    public Task Message_SaysTheDelayDoesNotGrow()
        => Verify.VerifyAnalyzerAsync(
            """
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions();
            }
            """,
            Verify.Diagnostic("RES002").WithSpan(5, 19, 5, 45).WithArguments("'RetryStrategyOptions'", "after a delay that does not grow"));

    [Fact]
    public Task ExplicitConstant_ReportsRes002OnTheAssignment()
        => Verify.VerifyAnalyzerAsync("""
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { {|RES002:BackoffType = DelayBackoffType.Constant|}, UseJitter = true };
            }
            """);

    [Fact]
    public Task GrowingWithoutJitter_ReportsRes003OnTheBackoffType()
        => Verify.VerifyAnalyzerAsync("""
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { {|RES003:BackoffType = DelayBackoffType.Exponential|} };
                object B() => new RetryStrategyOptions { MaxRetryAttempts = 4, {|RES003:BackoffType = DelayBackoffType.Linear|} };
            }
            """);

    [Fact]
    public Task ExplicitUseJitterFalse_ReportsRes003There()
        => Verify.VerifyAnalyzerAsync("""
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    {|RES003:UseJitter = false|},
                };
            }
            """);

    [Fact]
    public Task ExponentialWithJitter_IsClean()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions
                {
                    MaxRetryAttempts = 5,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                };
            }
            """);

    [Fact]
    public Task LaterAssignmentsOnTheSameLocal_Count()
        => Verify.VerifyAnalyzerAsync("""
            using Polly;
            using Polly.Retry;

            class C
            {
                object Fixed()
                {
                    var options = new RetryStrategyOptions();
                    options.BackoffType = DelayBackoffType.Exponential;
                    options.UseJitter = true;
                    return options;
                }

                object Broken()
                {
                    var options = new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                    {|RES003:options.UseJitter = false|};
                    return options;
                }

                object MadeConstant()
                {
                    RetryStrategyOptions options = new() { BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                    {|RES002:options.BackoffType = DelayBackoffType.Constant|};
                    return options;
                }
            }
            """);

    [Fact]
    public Task ValuesFromConfiguration_AreSilent()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Polly;
            using Polly.Retry;

            class Settings
            {
                public DelayBackoffType Backoff { get; set; }
                public bool Jitter { get; set; }
                public int Attempts { get; set; }
            }

            class C
            {
                object A(Settings s) => new RetryStrategyOptions { BackoffType = s.Backoff };
                object B(Settings s) => new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = s.Jitter };
                object D(Settings s) => new RetryStrategyOptions { MaxRetryAttempts = s.Attempts, BackoffType = DelayBackoffType.Exponential, UseJitter = true };

                object Later(Settings s)
                {
                    var options = new RetryStrategyOptions();
                    options.BackoffType = s.Backoff;
                    return options;
                }
            }
            """);

    [Fact]
    public Task SettingsThatMayOrMayNotHappen_AreSilent()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Polly;
            using Polly.Retry;

            class C
            {
                object Conditional(bool fast)
                {
                    var options = new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                    if (fast)
                    {
                        options.UseJitter = false;
                    }

                    return options;
                }

                object InALambda()
                {
                    var options = new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                    Action later = () => options.UseJitter = false;
                    return options;
                }

                object HandedToAHelper()
                {
                    var options = new RetryStrategyOptions();
                    Configure(options);
                    return options;
                }

                static void Configure(RetryStrategyOptions options) => options.BackoffType = DelayBackoffType.Exponential;
            }
            """);

    // A timeout added before the retry is the outer strategy: every attempt together ends at its deadline.
    [Fact]
    public Task RetryInsideAnEarlierTimeout_IsBoundedByIt_ATimeoutAddedAfter_IsNot()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            using Polly;
            using Polly.Retry;

            class C
            {
                ResiliencePipeline Outer() => new ResiliencePipelineBuilder()
                    .AddTimeout(TimeSpan.FromSeconds(20))
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = int.MaxValue, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                    .Build();

                ResiliencePipeline Inner() => new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { {|RES001:MaxRetryAttempts = int.MaxValue|}, {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true })
                    .AddTimeout(TimeSpan.FromSeconds(20))
                    .Build();

                ResiliencePipeline Endless() => new ResiliencePipelineBuilder()
                    .AddTimeout(Timeout.InfiniteTimeSpan)
                    .AddRetry(new RetryStrategyOptions { {|RES001:MaxRetryAttempts = int.MaxValue|}, {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true })
                    .Build();
            }
            """);

    // The same strategies added by statements on one builder: the order of the statements is the order of the strategies.
    [Fact]
    public Task RetryAddedToABuilderAfterATimeoutStatement_IsBoundedByIt_BeforeIt_IsNot()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Polly;
            using Polly.Retry;

            class C
            {
                ResiliencePipeline Outer()
                {
                    var builder = new ResiliencePipelineBuilder();
                    builder.AddTimeout(TimeSpan.FromSeconds(20));
                    builder.AddRetry(new RetryStrategyOptions { MaxRetryAttempts = int.MaxValue, BackoffType = DelayBackoffType.Exponential, UseJitter = true });
                    return builder.Build();
                }

                ResiliencePipeline Inner()
                {
                    var builder = new ResiliencePipelineBuilder();
                    builder.AddRetry(new RetryStrategyOptions { {|RES001:MaxRetryAttempts = int.MaxValue|}, {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true });
                    builder.AddTimeout(TimeSpan.FromSeconds(20));
                    return builder.Build();
                }

                ResiliencePipeline<string> OuterOptionsOfAResult()
                {
                    var builder = new ResiliencePipelineBuilder<string>();
                    builder.AddTimeout(new Polly.Timeout.TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(2) });
                    builder.AddRetry(new()
                    {
                        ShouldHandle = new PredicateBuilder<string>().Handle<Exception>(),
                        MaxRetryAttempts = int.MaxValue,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                    });
                    return builder.Build();
                }
            }
            """);

    // A retry that does not handle an open circuit ends when the breaker it runs around opens.
    [Fact]
    public Task RetryThatLeavesOutAnOpenCircuit_IsBoundedByTheBreaker_OneThatHandlesEverything_IsNot()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Polly;
            using Polly.CircuitBreaker;
            using Polly.Retry;

            class C
            {
                RetryStrategyOptions StopsOnOpen() => new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not BrokenCircuitException),
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                };

                RetryStrategyOptions StopsOnOpenWrittenAsNot() => new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => !(ex is BrokenCircuitException)),
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                };

                RetryStrategyOptions RetriesAnOpenCircuitToo() => new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(),
                    {|RES001:MaxRetryAttempts = int.MaxValue|},
                    {|RES004:BackoffType = DelayBackoffType.Exponential|},
                    UseJitter = true,
                };

                RetryStrategyOptions OnlyAnOpenCircuit() => new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<BrokenCircuitException>(),
                    {|RES001:MaxRetryAttempts = int.MaxValue|},
                    {|RES004:BackoffType = DelayBackoffType.Exponential|},
                    UseJitter = true,
                };
            }
            """);

    [Fact]
    public Task AttemptLimit_ReportsRes001OnTheAssignment()
        => Verify.VerifyAnalyzerAsync("""
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { {|RES001:MaxRetryAttempts = int.MaxValue|}, {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true };
                object B() => new RetryStrategyOptions { {|RES001:MaxRetryAttempts = 50|}, {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true };
                object D() => new RetryStrategyOptions { MaxRetryAttempts = 10, {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true };

                object Later()
                {
                    var options = new RetryStrategyOptions { {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true };
                    {|RES001:options.MaxRetryAttempts = 100|};
                    return options;
                }
            }
            """);

    [Fact]
    public Task AttemptLimit_ComesFromEditorConfig()
        => Verify.VerifyAnalyzerAsync(
            """
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { MaxRetryAttempts = 50, {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true };
                object B() => new RetryStrategyOptions { {|RES001:MaxRetryAttempts = 150|}, {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true };
            }
            """,
            TestLibraries.All,
            "RES001.max_attempts = 100");

    [Fact]
    public Task ZeroDelay_ReportsRes002OnTheDelay()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true, {|RES002:Delay = TimeSpan.Zero|} };
            }
            """);

    [Fact]
    public Task VisibleDelayGenerator_IsJudgedLikeALoopDelay()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            using Polly.Retry;

            class C
            {
                object Constant() => new RetryStrategyOptions
                {
                    {|RES002:DelayGenerator = args => new ValueTask<TimeSpan?>(TimeSpan.FromSeconds(1))|},
                };

                object Growing() => new RetryStrategyOptions
                {
                    {|RES003:DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(TimeSpan.FromSeconds(Math.Pow(2, args.AttemptNumber)))|},
                };

                object Jittered() => new RetryStrategyOptions
                {
                    DelayGenerator = static args =>
                    {
                        var cap = Math.Min(20000, 200 * Math.Pow(2, args.AttemptNumber));
                        return new ValueTask<TimeSpan?>((TimeSpan?)TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap));
                    },
                };
            }
            """);

    [Fact]
    public Task DelayGenerator_ThatCannotBeSeen_IsSilent()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            using Polly.Retry;

            class C
            {
                static ValueTask<TimeSpan?> Generate(RetryDelayGeneratorArguments<object> args) => new(TimeSpan.FromSeconds(1));

                object Helper() => new RetryStrategyOptions { DelayGenerator = args => Generate(args) };
                object MethodGroup() => new RetryStrategyOptions { DelayGenerator = Generate };

                object SometimesNull() => new RetryStrategyOptions
                {
                    DelayGenerator = args => args.AttemptNumber > 2
                        ? new ValueTask<TimeSpan?>((TimeSpan?)null)
                        : new ValueTask<TimeSpan?>(TimeSpan.FromSeconds(1)),
                };

                object ReturnsNull() => new RetryStrategyOptions
                {
                    DelayGenerator = args =>
                    {
                        if (args.AttemptNumber > 2)
                        {
                            return ValueTask.FromResult<TimeSpan?>(null);
                        }

                        return ValueTask.FromResult<TimeSpan?>(TimeSpan.FromSeconds(1));
                    },
                };
            }
            """);

    [Fact]
    public Task DerivedOptionTypes_AreSilent()
        => Verify.VerifyAnalyzerAsync("""
            using Polly.Retry;

            class MyRetryOptions : RetryStrategyOptions
            {
                public MyRetryOptions() => BackoffType = Polly.DelayBackoffType.Exponential;
            }

            class C
            {
                object A() => new MyRetryOptions();
            }
            """);

    [Fact]
    public Task PollyCoreAlone_IsEnough()
        => Verify.VerifyAnalyzerAsync(
            """
            using Polly;
            using Polly.Retry;

            class C
            {
                ResiliencePipeline A() => new ResiliencePipelineBuilder()
                    .AddRetry({|RES002:new RetryStrategyOptions()|})
                    .Build();
            }
            """,
            TestLibraries.PollyCore,
            editorConfig: null);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow()
        => Verify.VerifyAnalyzerAsync("""
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { BackoffType = {|CS1525:}|} ;
                object B() => new RetryStrategyOptions { {|CS0117:Unknown|} = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true };
            }
            """);

    [Fact]
    public Task DelayGeneratorCallingALocalFunction_IsJudgedByWhatItReturns()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Sockets;
            using System.Threading.Tasks;
            using Polly;
            using Polly.Retry;

            class C
            {
                ResiliencePipeline Create(int retryCount)
                {
                    var retryOptions = new RetryStrategyOptions
                    {
                        ShouldHandle = new PredicateBuilder().Handle<SocketException>(),
                        MaxRetryAttempts = retryCount,
                        {|RES003:DelayGenerator = (context) => ValueTask.FromResult(GenerateDelay(context.AttemptNumber))|}
                    };

                    return new ResiliencePipelineBuilder().AddRetry(retryOptions).Build();

                    static TimeSpan? GenerateDelay(int attempt)
                    {
                        return TimeSpan.FromSeconds(Math.Pow(2, attempt));
                    }
                }
            }
            """);

    [Fact]
    public Task ASingleJitteredRetry_HasNoDelaysToGrow_ASingleImmediateOne_StillRetriesAtOnce()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Polly;
            using Polly.Retry;

            class C
            {
                object Once() => new RetryStrategyOptions { MaxRetryAttempts = 1, UseJitter = true, Delay = TimeSpan.FromSeconds(1) };

                object OnceAtOnce() => new RetryStrategyOptions { MaxRetryAttempts = 1, {|RES002:Delay = TimeSpan.Zero|} };

                object Twice() => new RetryStrategyOptions { MaxRetryAttempts = 2, UseJitter = true, {|RES002:BackoffType = DelayBackoffType.Constant|} };
            }
            """);
}
