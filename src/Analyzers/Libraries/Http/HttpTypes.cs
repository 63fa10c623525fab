using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries.Http;

/// <summary>
/// System.Net.Http and IHttpClientFactory types, resolved once per compilation.
/// <c>SocketsHttpHandler</c> exists from .NET Core 2.1 on (null on .NET Framework and netstandard);
/// <c>HttpClientBuilderExtensions</c> and <c>HttpClientFactoryOptions</c> come with Microsoft.Extensions.Http 2.1 and later.
/// </summary>
public sealed class HttpTypes
{
    internal HttpTypes(Compilation compilation)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        HttpClient = lookup.FindFramework("System.Net.Http.HttpClient", "System.Net.Http");
        HttpMessageHandler = lookup.FindFramework("System.Net.Http.HttpMessageHandler", "System.Net.Http");
        HttpClientHandler = lookup.FindFramework("System.Net.Http.HttpClientHandler", "System.Net.Http");
        SocketsHttpHandler = lookup.FindFramework("System.Net.Http.SocketsHttpHandler", "System.Net.Http");
        DelegatingHandler = lookup.FindFramework("System.Net.Http.DelegatingHandler", "System.Net.Http");
        Timeout = lookup.FindFramework("System.Threading.Timeout");
        HttpClientBuilderExtensions = lookup.Find("Microsoft.Extensions.Http", "Microsoft.Extensions.DependencyInjection.HttpClientBuilderExtensions");
        HttpClientFactoryOptions = lookup.Find("Microsoft.Extensions.Http", "Microsoft.Extensions.Http.HttpClientFactoryOptions");

        // Blazor WebAssembly sends through the browser's fetch, Android and iOS through the platform's own stack:
        // there HttpClient's default handler does not pool sockets itself.
        UsesPlatformHandler =
            lookup.Find("Microsoft.AspNetCore.Components.WebAssembly", "Microsoft.AspNetCore.Components.WebAssembly.Hosting.WebAssemblyHostBuilder") is not null
            || lookup.Find("Mono.Android", "Xamarin.Android.Net.AndroidMessageHandler") is not null
            || lookup.Find("Mono.Android", "Xamarin.Android.Net.AndroidClientHandler") is not null
            || IsApple(lookup);
    }

    private static bool IsApple(LibraryTypeLookup lookup)
    {
        foreach (var platform in new[] { "Microsoft.iOS", "Microsoft.MacCatalyst", "Microsoft.tvOS", "Microsoft.macOS", "Xamarin.iOS", "Xamarin.Mac" })
        {
            if (lookup.Find(platform, "System.Net.Http.NSUrlSessionHandler") is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The platform, not SocketsHttpHandler, owns HttpClient's connections (browser, Android, iOS).</summary>
    public bool UsesPlatformHandler { get; }

    public INamedTypeSymbol? HttpClient { get; }

    public INamedTypeSymbol? HttpMessageHandler { get; }

    public INamedTypeSymbol? HttpClientHandler { get; }

    public INamedTypeSymbol? SocketsHttpHandler { get; }

    public INamedTypeSymbol? DelegatingHandler { get; }

    public INamedTypeSymbol? Timeout { get; }

    public INamedTypeSymbol? HttpClientBuilderExtensions { get; }

    public INamedTypeSymbol? HttpClientFactoryOptions { get; }
}
