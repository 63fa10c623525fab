using ResilienceAnalyzers.Tests.Verifiers;
using Verify = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>
/// RES001-RES003 on Microsoft.Extensions.Http.Resilience: <c>HttpRetryStrategyOptions</c> (exponential with
/// jitter by default) and the standard handler's <c>Retry</c> options.
/// </summary>
public sealed class HttpResilienceTests
{
    [Fact]
    public Task HttpRetryStrategyOptionsDefaults_AreClean()
        => Verify.VerifyAnalyzerAsync("""
            using Microsoft.Extensions.Http.Resilience;

            class C
            {
                object A() => new HttpRetryStrategyOptions();
                object B() => new HttpRetryStrategyOptions { MaxRetryAttempts = 5 };
                HttpRetryStrategyOptions D() => new();
            }
            """);

    [Fact]
    public Task HttpRetryStrategyOptions_JitterTurnedOff_ReportsRes003()
        => Verify.VerifyAnalyzerAsync("""
            using Microsoft.Extensions.Http.Resilience;

            class C
            {
                object A() => new HttpRetryStrategyOptions { {|RES003:UseJitter = false|} };

                object B()
                {
                    var options = new HttpRetryStrategyOptions();
                    {|RES003:options.UseJitter = false|};
                    return options;
                }
            }
            """);

    [Fact]
    public Task HttpRetryStrategyOptions_ConstantOrUnbounded()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Microsoft.Extensions.Http.Resilience;
            using Polly;

            class C
            {
                object A() => new HttpRetryStrategyOptions { {|RES002:BackoffType = DelayBackoffType.Constant|} };
                object B() => {|RES004:new HttpRetryStrategyOptions|} { {|RES001:MaxRetryAttempts = int.MaxValue|} };
                object D() => new HttpRetryStrategyOptions { {|RES002:Delay = TimeSpan.Zero|} };
            }
            """);

    [Fact]
    public Task StandardHandler_RetrySettings()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Http.Resilience;
            using Polly;

            class C
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("jitterless").AddStandardResilienceHandler(options =>
                    {
                        {|RES003:options.Retry.UseJitter = false|};
                    });

                    services.AddHttpClient("constant").AddStandardResilienceHandler(options =>
                    {
                        {|RES002:options.Retry.BackoffType = DelayBackoffType.Constant|};
                        {|RES001:options.Retry.MaxRetryAttempts = 50|};
                    });

                    services.AddHttpClient("immediate").AddStandardResilienceHandler(o => {|RES002:o.Retry.Delay = TimeSpan.Zero|});

                    services.AddHttpClient("configured").AddStandardResilienceHandler()
                        .Configure(o => {|RES003:o.Retry.UseJitter = false|});
                }
            }
            """);

    [Fact]
    public Task StandardHandler_GoodOrUnknownSettings_AreSilent()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Http.Resilience;
            using Polly;

            class C
            {
                void Configure(IServiceCollection services, bool jitter, Action<HttpStandardResilienceOptions> bind)
                {
                    services.AddHttpClient("a").AddStandardResilienceHandler();

                    services.AddHttpClient("b").AddStandardResilienceHandler(o =>
                    {
                        o.Retry.MaxRetryAttempts = 5;
                        o.Retry.Delay = TimeSpan.FromMilliseconds(500);
                        o.Retry.BackoffType = DelayBackoffType.Linear;
                    });

                    services.AddHttpClient("c").AddStandardResilienceHandler(o => o.Retry.UseJitter = jitter);

                    services.AddHttpClient("d").AddStandardResilienceHandler(o =>
                    {
                        if (!jitter)
                        {
                            o.Retry.UseJitter = false;
                        }
                    });

                    services.AddHttpClient("e").AddStandardResilienceHandler(o =>
                    {
                        bind(o);
                        o.Retry.BackoffType = DelayBackoffType.Exponential;
                    });

                    services.AddHttpClient("f").AddStandardResilienceHandler(bind);
                }
            }
            """);

    [Fact]
    public Task StandardHandler_DelayGenerator_IsJudged()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;

            class C
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("a").AddStandardResilienceHandler(o =>
                    {
                        {|RES002:o.Retry.DelayGenerator = _ => new ValueTask<TimeSpan?>(TimeSpan.FromSeconds(2))|};
                    });
                }
            }
            """);

    [Fact]
    public Task StandardHandler_WithoutTheLibrary_NothingRuns()
        => Verify.VerifyAnalyzerAsync(
            """
            using System;

            class Options
            {
                public RetryOptions Retry { get; } = new();
            }

            class RetryOptions
            {
                public bool UseJitter { get; set; }
            }

            static class Extensions
            {
                public static void AddStandardResilienceHandler(this object builder, Action<Options> configure) { }
            }

            class C
            {
                void Configure(object builder) => builder.AddStandardResilienceHandler(o => o.Retry.UseJitter = false);
            }
            """,
            TestLibraries.None,
            editorConfig: null);
}
